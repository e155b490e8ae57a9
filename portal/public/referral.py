"""The referral journey's pages. Each view: load the journey → validate → save → redirect."""

from __future__ import annotations

from flask import abort, current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from forms.journey import RETURN_TO_VALUES, Journey, Step
from forms.referral import STEPS
from forms.submit import SubmitForm
from portal import db, page_skeletons
from portal.extensions import limiter
from portal.public import bp
from portal.public.summary import check_sections
from portal.services import drafts, reading_mode, referrals

DRAFT_KEY = "draft"
SUBMITTED_KEY = "submitted"
STEP_BY_SLUG = {step.slug: step for step in STEPS}
JOURNEY = "referral"


def submit_rate_limit() -> str:
    """`SUBMIT_RATE_LIMIT`, per client: for every public POST that stores something for the team or sends an email."""
    return current_app.config["PORTAL_SETTINGS"].submit_rate_limit


def load(*, to_change: bool | None = None) -> tuple[drafts.Draft | drafts.DraftSeen | None, Journey]:
    """The draft and the journey so far; a page that only shows them (GET) reads without taking the write lock."""
    draft_id = session.get(DRAFT_KEY)
    if to_change is None:
        to_change = request.method == "POST"
    draft = drafts.find_draft(draft_id) if to_change else drafts.read_draft(draft_id)
    return draft, Journey(STEPS, drafts.answers_of(draft))


def return_to_value() -> str | None:
    value = request.args.get("return_to")
    return value if value in RETURN_TO_VALUES else None


def go_to(slug: str, return_to: str | None = None) -> Response:
    if slug == "check":
        return redirect(url_for(".check"))
    return redirect(url_for(".question", slug=slug, return_to=return_to))


def guard(step: Step, draft: drafts.Draft | drafts.DraftSeen | None, journey: Journey) -> Response | None:
    """Where to send someone who cannot see this page yet (answers expired, or pages skipped)."""
    if draft is None and step is not STEPS[0]:
        return redirect(url_for(".start", expired=1) if session.get(DRAFT_KEY) else url_for(".start"))
    if not journey.can_visit(step):
        unfinished = journey.first_unfinished()
        return go_to(unfinished.slug if unfinished else "check")
    return None


def save(draft: drafts.Draft | None, answers: dict) -> drafts.Draft:
    """Save the answers so far, starting the draft on the first page."""
    with db.unit_of_work():
        if draft is None:
            draft = drafts.start_draft(JOURNEY)
            session[DRAFT_KEY] = draft.id
            session.permanent = True
        drafts.save_answers(draft, answers)
    return draft


def save_page(seen: drafts.DraftSeen | None, page_answers: dict) -> dict | None:
    """Save one page's answers onto the draft as it is now; the answers so far, or None if the draft has ended.

    The page was read and checked without the write lock; the draft is read again inside
    the write transaction (`drafts.add_answers`), so answers saved meanwhile from another tab
    are kept, and a draft sent or expired meanwhile is never brought back.
    """
    if seen is not None:
        return drafts.add_answers(seen.id, page_answers)
    with db.unit_of_work():
        draft = drafts.start_draft(JOURNEY)
        session[DRAFT_KEY] = draft.id
        session.permanent = True
        drafts.save_answers(draft, page_answers)
    return dict(page_answers)


def back_url(journey: Journey, step: Step, return_to: str | None) -> str:
    if return_to:
        return url_for(".check")
    previous = journey.previous_slug(step)
    return url_for(".question", slug=previous) if previous else url_for(".start")


@bp.route("/referral/<slug>", methods=["GET", "POST"])
def question(slug: str) -> Response | str:
    step = STEP_BY_SLUG.get(slug) or abort(404)
    # Read without the write lock, even for a POST: a page that fails its checks writes nothing.
    draft, journey = load(to_change=False)
    if (elsewhere := guard(step, draft, journey)) is not None:
        return elsewhere
    return_to = return_to_value()
    form_class = step.form(journey.audience)
    form = None
    if request.method == "POST":
        form = form_class(data=journey.answers)
        if form.validate():
            answers = save_page(draft, form.answers())
            if answers is None:
                return redirect(url_for(".start", expired=1))
            if request.form.get("save_and_return"):
                return redirect(url_for(".save_for_later"))
            return go_to(Journey(STEPS, answers).next_slug(step, return_to), return_to)
    return page_skeletons.render_question(
        step.template,
        form_class,
        journey.answers,
        form=form,
        step=step,
        audience=journey.audience,
        back_url=back_url(journey, step, return_to),
        channel=draft.channel if draft else None,
        journey=journey,
        draft=draft,
    )


@bp.route("/referral/check", methods=["GET", "POST"])
@limiter.limit(submit_rate_limit, methods=["POST"])
def check() -> Response | str:
    # A repeated submit (double click, replay) gets the first one's confirmation.
    if request.method == "POST" and (sent := _already_sent()) is not None:
        return sent
    draft, journey = load()
    if draft is None:
        # A press of the same button a moment ago may have sent it and deleted the draft.
        sent = _already_sent() if request.method == "POST" else None
        return sent or redirect(url_for(".start"))
    unfinished = journey.first_unfinished()
    if unfinished is not None:
        return go_to(unfinished.slug)
    form = SubmitForm(data={"submission_id": draft.submission_id})
    if request.method == "POST" and form.validate() and form.submission_id.data == draft.submission_id:
        submission_id = draft.submission_id
        drafts.note_language(draft)
        referrals.submit_referral(
            draft,
            submission_id,
            journey.relevant_answers(),
            reading_mode=reading_mode.current(),
            channel=draft.channel,
        )
        return _confirm(submission_id)
    return render_template(
        "public/referral/check.html",
        form=form,
        sections=check_sections(journey),
        journey=journey,
        draft=draft,
        back_url=url_for(".question", slug=journey.applicable()[-1].slug),
    )


def _already_sent() -> Response | None:
    existing = referrals.find_by_submission(request.form.get("submission_id", ""))
    return _confirm(existing.submission_id) if existing is not None else None


def _confirm(submission_id: str) -> Response:
    session.pop(DRAFT_KEY, None)
    session[SUBMITTED_KEY] = submission_id
    return redirect(url_for(".confirmation"))


@bp.get("/referral/confirmation")
def confirmation() -> Response | str:
    referral = referrals.find_by_submission(session.get(SUBMITTED_KEY, ""))
    if referral is None:
        return redirect(url_for(".start"))
    return render_template("public/referral/confirmation.html", referral=referral, title=_("Referral sent"))
