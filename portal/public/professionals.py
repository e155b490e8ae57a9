"""The "add another professional" pages: list, add one, remove one (with a confirmation page)."""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from forms import professionals
from forms.journey import Journey
from forms.questions import form_class
from forms.referral import STEPS
from portal.public import bp
from portal.public.referral import back_url, go_to, guard, load, return_to_value, save
from portal.public.summary import professional_rows

STEP = professionals.STEP


def _listed(journey: Journey) -> list[dict[str, str]]:
    return list(journey.answers.get(professionals.LIST_KEY, []))


@bp.route("/referral/professionals", methods=["GET", "POST"])
def professionals_list() -> Response | str:
    draft, journey = load()
    if (elsewhere := guard(STEP, draft, journey)) is not None:
        return elsewhere
    return_to = return_to_value()
    listed = _listed(journey)
    form = STEP.form(journey.audience)()
    if request.method == "POST" and form.validate():
        if form.more_professionals.data == "yes" and len(listed) < professionals.MAX_PROFESSIONALS:
            return redirect(url_for(".professional_add", return_to=return_to))
        answers = {**journey.answers, "more_professionals": "no", professionals.LIST_KEY: listed}
        save(draft, answers)
        return go_to(Journey(STEPS, answers).next_slug(STEP, return_to), return_to)
    return render_template(
        STEP.template,
        form=form,
        step=STEP,
        journey=journey,
        listed=listed,
        rows=professional_rows(listed, return_to),
        at_limit=len(listed) >= professionals.MAX_PROFESSIONALS,
        back_url=back_url(journey, STEP, return_to),
        draft=draft,
    )


@bp.route("/referral/professionals/add", methods=["GET", "POST"])
def professional_add() -> Response | str:
    draft, journey = load()
    if (elsewhere := guard(STEP, draft, journey)) is not None:
        return elsewhere
    return_to = return_to_value()
    listed = _listed(journey)
    if len(listed) >= professionals.MAX_PROFESSIONALS:
        return redirect(url_for(".professionals_list", return_to=return_to))
    form = form_class("professional-add", professionals.DETAILS, journey.audience)()
    if request.method == "POST" and form.validate():
        answers = {**journey.answers, professionals.LIST_KEY: [*listed, form.answers()]}
        answers.pop("more_professionals", None)
        save(draft, answers)
        return redirect(url_for(".professionals_list", return_to=return_to))
    return render_template(
        "public/referral/professional_add.html",
        form=form,
        questions=professionals.DETAILS,
        title=professionals.ADD_TITLE.for_audience(journey.audience),
        back_url=url_for(".professionals_list", return_to=return_to),
        draft=draft,
    )


@bp.route("/referral/professionals/<int:number>/remove", methods=["GET", "POST"])
def professional_remove(number: int) -> Response | str:
    draft, journey = load()
    if (elsewhere := guard(STEP, draft, journey)) is not None:
        return elsewhere
    return_to = return_to_value()
    listed = _listed(journey)
    if not 1 <= number <= len(listed):
        abort(404)
    form = form_class("professional-remove", (), journey.audience)()
    if request.method == "POST" and form.validate():
        answers = {**journey.answers, professionals.LIST_KEY: listed[: number - 1] + listed[number:]}
        answers.pop("more_professionals", None)
        save(draft, answers)
        return redirect(url_for(".professionals_list", return_to=return_to))
    return render_template(
        "public/referral/professional_remove.html",
        form=form,
        professional=listed[number - 1],
        title=_("Are you sure you want to remove %(name)s?", name=listed[number - 1]["professional_name"]),
        back_url=url_for(".professionals_list", return_to=return_to),
        draft=draft,
    )
