"""Reconfirmation letters: an easy-read page per person, with the link as a QR code and a short code.

Many people on a DSR do not use email, so the link must also reach them on
paper. The team prints the day's letters as one PDF. The QR code is drawn as
SVG (segno) so it stays sharp; the short code (no 0/O or 1/I) can be typed
at /consent/code by anyone who cannot scan it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import segno
from flask import current_app, render_template
from markupsafe import Markup
from sqlalchemy import select
from weasyprint import HTML

from portal import db
from portal.models import ConsentReminder, Referral, SignedLink
from portal.services import consent
from portal.services.reminders import link_url


class FetchRefusedError(ValueError):
    """A letter asked for an outside resource; it never may."""


def _refuse_fetch(url: str, *_args: Any, **_kwargs: Any) -> dict[str, Any]:
    raise FetchRefusedError(f"letter may not fetch {url[:80]!r}")


@dataclass(frozen=True)
class Letter:
    reference: str
    name: str
    address: list[str]
    due_on: date
    expires_on: date
    link: str
    short_code: str
    qr_svg: Markup
    addressed_to: str


def spaced(code: str) -> str:
    """KBXR7QM4 as KBXR 7QM4: easier to read and type."""
    return f"{code[:4]} {code[4:]}"


def _letter(reminder: ConsentReminder, referral: Referral, link: SignedLink) -> Letter:
    answers = consent.answers_of(referral)
    url = link_url(link)
    name = answers.get("full_name", "")
    if reminder.addressed_to == "parent":
        name = answers.get("referrer_name") or f"The parent or carer of {name}"
    address = [answers.get(key, "") for key in ("address_line_1", "address_line_2", "town", "postcode")]
    return Letter(
        reference=referral.reference,
        name=name,
        address=[line for line in address if line],
        due_on=reminder.due_on,
        expires_on=link.expires_at.date(),
        link=url,
        short_code=spaced(link.short_code or ""),
        qr_svg=Markup(segno.make(url, error="m").svg_inline(scale=4, border=4)),  # noqa: S704 (segno's own SVG)
        addressed_to=reminder.addressed_to,
    )


def letters_for(day: date) -> list[Letter]:
    """Every letter the reminders of `day` asked for, oldest first."""
    rows = db.session().execute(
        select(ConsentReminder, Referral, SignedLink)
        .join(Referral, Referral.id == ConsentReminder.referral_id)
        .join(SignedLink, SignedLink.id == ConsentReminder.link_id)
        .where(ConsentReminder.done_on == day, ConsentReminder.by_letter.is_(True))
        .order_by(ConsentReminder.id)
    )
    return [_letter(reminder, referral, link) for reminder, referral, link in rows]


def letters_pdf(letters: list[Letter], day: date) -> bytes:
    """One PDF, one letter a page (a text layer, so it can be read aloud)."""
    html = render_template(
        "letters/reconfirm.html", letters=letters, day=day, team=current_app.jinja_env.globals["team"]
    )
    return HTML(string=html, url_fetcher=_refuse_fetch).write_pdf()  # type: ignore[no-any-return]
