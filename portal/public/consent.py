"""Consent pages: answering by signed link or letter code, asking to come off, and save and return.

Every page reached by a token sends `no-referrer` and `no-store`, shows nothing
personal, and treats every dead token alike: one plain page, same status,
same words. A GET never uses a link up; only the person's POST does. A second
press of the same answer (a double click, or back and send again) from the
browser that answered, within ten minutes, shows the same confirmation; every
other press on a used link gets the dead-link page.
"""

from __future__ import annotations

import secrets
from datetime import date

from flask import current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from easy_read import letters as easy_read_letters
from forms.messages import message
from forms.questions import form_class
from forms.withdrawal import (
    CALLBACK_TIMES,
    CONFIRM_DATE_OF_BIRTH,
    RECONFIRM,
    SAVE_EMAIL,
    SHORT_CODE,
    WITHDRAWAL_QUESTIONS,
)
from portal import db, i18n
from portal.extensions import limiter
from portal.public import bp
from portal.public.referral import DRAFT_KEY, load, submit_rate_limit
from portal.services import answers, consent, drafts, signed_links

CONFIRMED_KEY = "consent_link_confirmed"
ANSWERED_KEY = "consent_answered"
BROWSER_KEY = "consent_browser"  # a random value; a used link keeps its hash to know the browser that answered
WITHDRAWAL_KEY = "withdrawal_draft"
WITHDRAWAL_SENT_KEY = "withdrawal_sent"
SAVED_KEY = "saved_for_later"
PURPOSES = "<any(reconfirm, withdraw):purpose>"


def _link_rate_limit() -> str:
    return current_app.config["PORTAL_SETTINGS"].consent_link_rate_limit


def token_page(body: str, status: int = 200) -> Response:
    """A page reached by a token: never cached, never sends its address on."""
    response = current_app.make_response((body, status))
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    return response


def dead_link() -> Response:
    """The one page for every link that does not work, whatever the reason."""
    return token_page(render_template("public/consent/link_dead.html"))


@bp.context_processor
def _easy_read_letters() -> dict[str, object]:
    """The save-and-return email is written during a public request: its easy-read words."""
    return {"easy_read_letters": easy_read_letters}


def _audience(link: signed_links.SignedLink) -> str:
    return "you" if link.addressed_to == "person" else "they"


def _confirmed(link: signed_links.SignedLink) -> bool:
    """This browser confirmed the link's date of birth (and so holds the value its answer will be known by)."""
    return session.get(CONFIRMED_KEY) == signed_links.marker(link) and bool(session.get(BROWSER_KEY))


@bp.route(f"/consent/{PURPOSES}/<token>", methods=["GET", "POST"])
@limiter.limit(_link_rate_limit)
def consent_link(purpose: str, token: str) -> Response:
    link = signed_links.find_live(purpose, token)
    if link is None:
        return dead_link()
    form = form_class("consent-date-of-birth", (CONFIRM_DATE_OF_BIRTH,), _audience(link))()
    if request.method == "POST" and form.validate():
        with db.unit_of_work():
            result = signed_links.check_date_of_birth(link, form.date_of_birth.data)
        if result == "locked":
            return dead_link()
        if result == "ok":
            session[CONFIRMED_KEY] = signed_links.marker(link)
            session[BROWSER_KEY] = secrets.token_urlsafe(32)
            return redirect(url_for(".consent_answer", purpose=purpose, token=token))
        form.date_of_birth.errors = [message("date_of_birth_mismatch")]
    return token_page(render_template("public/consent/date_of_birth.html", form=form))


@bp.route(f"/consent/{PURPOSES}/<token>/answer", methods=["GET", "POST"])
@limiter.limit(_link_rate_limit)
def consent_answer(purpose: str, token: str) -> Response:
    link = signed_links.find_live(purpose, token)
    if link is None:
        return (
            _repeated(answers.used_link(purpose, token), request.form.get("decision"))
            if request.method == "POST"
            else dead_link()
        )
    if not _confirmed(link):
        return redirect(url_for(".consent_link", purpose=purpose, token=token))
    form = form_class("consent-decision", (RECONFIRM,), _audience(link))()
    if request.method == "POST" and form.validate():
        if form.decision.data == "talk":
            return redirect(url_for(".consent_call_back", purpose=purpose, token=token))
        return _answered(link, form.decision.data)
    return token_page(render_template("public/consent/decision.html", form=form, audience=_audience(link)))


@bp.route(f"/consent/{PURPOSES}/<token>/call-back", methods=["GET", "POST"])
@limiter.limit(_link_rate_limit)
def consent_call_back(purpose: str, token: str) -> Response:
    """ "I want to talk to someone first": when it is safe to call, then the request goes to the team."""
    link = signed_links.find_live(purpose, token)
    if link is None:
        return _repeated(answers.used_link(purpose, token), "talk") if request.method == "POST" else dead_link()
    if not _confirmed(link):
        return redirect(url_for(".consent_link", purpose=purpose, token=token))
    form = form_class("consent-call-back", (CALLBACK_TIMES,), "you")()
    if request.method == "POST" and form.validate():
        return _answered(link, "talk", form.callback_times.data)
    back = url_for(".consent_answer", purpose=purpose, token=token)
    return token_page(render_template("public/consent/call_back.html", form=form, back_url=back))


def _answered(link: signed_links.SignedLink, decision: str, callback_times: str = "") -> Response:
    answered = answers.answer_by_link(link, decision, session[BROWSER_KEY], callback_times)
    if answered is None:  # another press of this link got there first
        return _repeated(link, decision)
    return _show_answered(answered)


def _show_answered(answered: answers.Answered) -> Response:
    session.pop(CONFIRMED_KEY, None)
    by = answered.team_acts_by.isoformat() if answered.team_acts_by else ""
    session[ANSWERED_KEY] = {"decision": answered.decision, "by": by}
    return redirect(url_for(".consent_answered"))


def _repeated(link: signed_links.SignedLink | None, decision: str | None) -> Response:
    """The same answer pressed again by the browser that gave it, soon after: the same confirmation; else the dead link.

    The browser is known on the server, not by its cookie alone: the link kept a
    hash of the random value this session got when it confirmed the date of
    birth, so a saved copy of another browser's cookie learns nothing. A
    different answer ends even that browser's repeat, so it cannot try each
    answer. The link records nothing new either way.
    """
    answered = answers.recorded_answer(link, session.get(BROWSER_KEY)) if link is not None else None
    if answered is None or answered.decision != decision:
        if answered is not None:
            for key in (BROWSER_KEY, CONFIRMED_KEY, ANSWERED_KEY):
                session.pop(key, None)
        return dead_link()
    return _show_answered(answered)


@bp.get("/consent/answered")
def consent_answered() -> Response | str:
    answered = session.get(ANSWERED_KEY)
    if not isinstance(answered, dict) or answered.get("decision") not in answers.DECISIONS:
        return redirect(url_for(".start"))
    by = date.fromisoformat(answered["by"]) if answered.get("by") else None
    return render_template("public/consent/answered.html", decision=answered["decision"], by=by)


@bp.route("/consent/code", methods=["GET", "POST"])
@limiter.limit(_link_rate_limit, methods=["POST"])
def consent_code() -> Response | str:
    """For a letter: the short code typed in leads to the same page as the QR code."""
    form = form_class("consent-code", (SHORT_CODE,), "you")()
    if request.method == "POST" and form.validate():
        link = signed_links.find_by_short_code(form.code.data)
        if link is not None:
            token = signed_links.token_for(link)
            return redirect(url_for(".consent_link", purpose=link.purpose, token=token))
        form.code.errors = [message("code_not_found")]
    return render_template("public/consent/code.html", form=form)


# -- ask to come off the DSR, without a link -----------------------------------


@bp.route("/come-off-the-dsr", methods=["GET", "POST"])
def withdrawal() -> Response | str:
    draft = drafts.find_draft(session.get(WITHDRAWAL_KEY))
    form = form_class("withdrawal", WITHDRAWAL_QUESTIONS, "you")(data=drafts.answers_of(draft))
    if request.method == "POST" and form.validate():
        with db.unit_of_work():
            if draft is None:
                draft = drafts.start_draft("withdrawal")
                session[WITHDRAWAL_KEY] = draft.id
            drafts.save_answers(draft, form.answers())
        return redirect(url_for(".withdrawal_check"))
    return render_template("public/consent/withdraw.html", form=form)


@bp.route("/come-off-the-dsr/check", methods=["GET", "POST"])
@limiter.limit(submit_rate_limit, methods=["POST"])
def withdrawal_check() -> Response | str:
    if request.method == "POST" and session.get(WITHDRAWAL_SENT_KEY) and not session.get(WITHDRAWAL_KEY):
        return redirect(url_for(".withdrawal_confirmation"))
    draft = drafts.find_draft(session.get(WITHDRAWAL_KEY))
    if draft is None:
        return redirect(url_for(".withdrawal"))
    answers = drafts.answers_of(draft)
    form = form_class("withdrawal-send", (), "you")()
    if request.method == "POST" and form.validate():
        with db.unit_of_work() as unit:
            due = consent.request_removal(answers)
            unit.delete(draft)
        session.pop(WITHDRAWAL_KEY, None)
        session[WITHDRAWAL_SENT_KEY] = due.date().isoformat()
        return redirect(url_for(".withdrawal_confirmation"))
    rows = [
        {
            "key": {"text": question.label_for("you")},
            "value": {"text": answers.get(question.id) or _("Not given")},
            "actions": {
                "items": [
                    {
                        "href": url_for(".withdrawal"),
                        "text": _("Change"),
                        "visuallyHiddenText": question.label_for("you"),
                    }
                ]
            },
        }
        for question in WITHDRAWAL_QUESTIONS
    ]
    return render_template("public/consent/withdraw_check.html", form=form, rows=rows, back_url=url_for(".withdrawal"))


@bp.get("/come-off-the-dsr/confirmation")
def withdrawal_confirmation() -> Response | str:
    by = session.get(WITHDRAWAL_SENT_KEY)
    if not by:
        return redirect(url_for(".withdrawal"))
    return render_template("public/consent/withdraw_confirmation.html", by=date.fromisoformat(by))


# -- save and come back later --------------------------------------------------


def _save_return_url(link: signed_links.SignedLink) -> str:
    base = current_app.config["PORTAL_SETTINGS"].public_base_url
    return i18n.with_language(f"{base}/referral/return/{signed_links.token_for(link)}", i18n.current())


@bp.route("/referral/save", methods=["GET", "POST"])
@limiter.limit(submit_rate_limit, methods=["POST"])
def save_for_later() -> Response | str:
    draft, _journey = load()
    if draft is None:
        return redirect(url_for(".start"))
    form = form_class("save-for-later", (SAVE_EMAIL,), "you")()
    if request.method == "POST" and form.validate():
        with db.unit_of_work():
            signed_links.save_for_later(draft, form.email.data, _save_return_url)
        session.pop(DRAFT_KEY, None)
        session[SAVED_KEY] = True
        return redirect(url_for(".saved_for_later"))
    return render_template("public/consent/save.html", form=form, back_url=url_for(".begin"))


@bp.get("/referral/saved")
def saved_for_later() -> Response | str:
    if not session.get(SAVED_KEY):
        return redirect(url_for(".start"))
    return render_template("public/consent/saved.html")


@bp.route("/referral/return/<token>", methods=["GET", "POST"])
@limiter.limit(_link_rate_limit)
def return_to_draft(token: str) -> Response:
    link = signed_links.find_live("save_return", token)
    if link is None:
        return dead_link()
    form = form_class("return-to-draft", (), "you")()
    if request.method == "POST" and form.validate():
        draft_id = signed_links.restore_draft(link)
        if draft_id is None:
            return dead_link()
        session[DRAFT_KEY] = draft_id
        session.permanent = True
        return redirect(url_for(".check"))
    return token_page(render_template("public/consent/return.html", form=form))
