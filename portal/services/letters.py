"""The day's letters to print: reconfirmation letters and confirmations of an answer, in one PDF.

Many people on a DSR do not use email, so the link must also reach them on
paper, and an answer given by link is confirmed on paper to those who prefer
post. Each letter is easy read (a picture beside each sentence, from
`easy_read.letters`) or plain English, as `Referral.reading_mode` says. The QR
code is drawn as SVG (segno) so it stays sharp; the short code (no 0/O or
1/I) can be typed at /consent/code by anyone who cannot scan it. Pictures are
inlined: a letter never fetches anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cache
from itertools import groupby
from typing import Any

import segno
from flask import current_app, render_template
from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy import select
from weasyprint import HTML

from easy_read import letters as easy_read_letters
from easy_read.pictures import source_file
from portal import db, i18n
from portal.models import ConsentReminder, Referral, SignedLink
from portal.services import consent
from portal.services.answers import ANSWER_KIND
from portal.services.due_dates import last_day_it_works
from portal.services.reminders import is_easy_read, link_url


class FetchRefusedError(ValueError):
    """A letter asked for an outside resource; it never may."""


def _refuse_fetch(url: str, *_args: Any, **_kwargs: Any) -> dict[str, Any]:
    raise FetchRefusedError(f"letter may not fetch {url[:80]!r}")


@dataclass(frozen=True)
class Letter:
    """One page: `kind` is "reconfirm", or the answer it confirms ("keep", "remove", "talk")."""

    kind: str
    easy: bool
    reference: str
    name: str
    address: list[str]
    due_on: date
    addressed_to: str
    language: str = i18n.ENGLISH
    expires_on: date | None = None
    link: str = ""
    short_code: str = ""
    qr_svg: Markup | None = None
    code_address: str = ""


def spaced(code: str) -> str:
    """KBXR7QM4 as KBXR 7QM4: easier to read and type."""
    return f"{code[:4]} {code[4:]}"


@cache
def picture(idea: str) -> Markup:
    """An easy-read picture as inline SVG (OpenMoji's own file), so the PDF needs no fetch."""
    return Markup(source_file(idea).read_text())  # noqa: S704 (an installed OpenMoji file, not typed by anyone)


def _letter(reminder: ConsentReminder, referral: Referral, link: SignedLink | None) -> Letter:
    answers = consent.answers_of(referral)
    language = i18n.deliverable(referral.language)
    name = answers.get("full_name", "")
    if reminder.addressed_to == "parent":
        with i18n.speaking(language):
            name = answers.get("referrer_name") or _("The parent or carer of %(name)s", name=name)
    address = [answers.get(key, "") for key in ("address_line_1", "address_line_2", "town", "postcode")]
    common: dict[str, Any] = {
        "easy": is_easy_read(referral),
        "reference": referral.reference,
        "name": name,
        "address": [line for line in address if line],
        "due_on": reminder.due_on,
        "addressed_to": reminder.addressed_to,
        "language": language,
    }
    if reminder.kind.startswith(ANSWER_KIND) or link is None:
        return Letter(kind=reminder.kind.removeprefix(ANSWER_KIND), **common)
    with i18n.speaking(language):
        url = link_url(link)
    return Letter(
        kind="reconfirm",
        expires_on=last_day_it_works(link.expires_at, reminder.due_on),
        link=url,
        short_code=spaced(link.short_code or ""),
        qr_svg=Markup(segno.make(url, error="m").svg_inline(scale=4, border=4)),  # noqa: S704 (segno's own SVG)
        code_address=url.split("/consent/")[0] + "/consent/code",
        **common,
    )


def letters_for(day: date) -> list[Letter]:
    """Every letter the reminders and answers of `day` asked for, oldest first."""
    rows = db.session().execute(
        select(ConsentReminder, Referral, SignedLink)
        .join(Referral, Referral.id == ConsentReminder.referral_id)
        .outerjoin(SignedLink, SignedLink.id == ConsentReminder.link_id)
        .where(ConsentReminder.done_on == day, ConsentReminder.by_letter.is_(True))
        .order_by(ConsentReminder.id)
    )
    return [_letter(reminder, referral, link) for reminder, referral, link in rows]


def batch_html(language: str, run: list[Letter], day: date) -> str:
    """The HTML of a run of letters in one language (phone numbers kept left to right in right-to-left text)."""
    team = current_app.jinja_env.globals["team"]
    if i18n.language(language).direction == "rtl":
        team = i18n.team_for_right_to_left(team)
    with i18n.speaking(language):
        return render_template(
            "letters/batch.html",
            letters=run,
            day=day,
            team=team,
            easy_read_letters=easy_read_letters,
            picture=picture,
        )


def letters_pdf(letters: list[Letter], day: date) -> bytes:
    """One PDF, one letter a page (a text layer, so it can be read aloud), each in its person's language.

    Letters are rendered in runs of one language (in their order), and the runs' pages joined.
    """
    runs = [(language, list(run)) for language, run in groupby(letters, key=lambda letter: letter.language)]
    documents = [
        HTML(string=batch_html(language, run, day), url_fetcher=_refuse_fetch).render()
        for language, run in runs or [(i18n.ENGLISH, [])]
    ]
    pages = [page for document in documents for page in document.pages]
    return documents[0].copy(pages).write_pdf()  # type: ignore[no-any-return]
