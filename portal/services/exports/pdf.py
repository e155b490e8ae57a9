"""One referral as a PDF for the triage meeting, drawn by WeasyPrint from an autoescaped template.

Communication needs come first: the meeting must know how to reach the person
before it discusses anything else. Fonts come from the system (DejaVu, which
covers Latin, Greek, Cyrillic, Arabic and Hebrew names); nothing is fetched.
"""

from __future__ import annotations

from typing import Any

from flask import render_template
from weasyprint import HTML

from forms.answers import AnswerRow
from portal.services.exports.columns import day
from portal.services.records import ReferralRecord

COMMUNICATION_STEP = "communication"


class FetchRefusedError(ValueError):
    """The PDF asked for an external resource; it never may."""


def _refuse_fetch(url: str, *_args: Any, **_kwargs: Any) -> dict[str, Any]:
    raise FetchRefusedError(f"PDF may not fetch {url[:80]!r}")


def ordered_sections(record: ReferralRecord) -> list[tuple[str, list[AnswerRow]]]:
    """Every page's answers in words, the communication needs page moved to the front."""
    sections = record.sections()
    first = [s for s in sections if s[1] and s[1][0].step.slug == COMMUNICATION_STEP]
    return first + [s for s in sections if s not in first]


def render_html(record: ReferralRecord) -> str:
    return render_template(
        "pdf/referral.html",
        record=record,
        item=record.item,
        sections=ordered_sections(record),
        communication_step=COMMUNICATION_STEP,
        day=day,
    )


def referral_pdf(record: ReferralRecord) -> bytes:
    """The PDF's bytes (a text layer, so it can be searched and read aloud)."""
    return HTML(string=render_html(record), url_fetcher=_refuse_fetch).write_pdf()  # type: ignore[no-any-return]
