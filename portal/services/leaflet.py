"""The easy-read leaflet "What is the Dynamic Support Register?" as a PDF, made from the website's own blocks.

People who do not use the website can be handed or sent it; the words are the
same as the start page's, so a change there changes the leaflet. Pictures are
drawn inline from the OpenMoji files, so WeasyPrint fetches nothing (the
letters' refusing fetcher would stop it). A PDF is made once per language
(the address printed is the configured public one, never the request's Host),
then kept for the life of the process.
"""

from __future__ import annotations

from flask import current_app, render_template
from flask_babel import get_locale
from markupsafe import Markup, escape
from weasyprint import HTML

from easy_read import leaflet
from easy_read.pictures import source_file
from portal import i18n
from portal.assets import SVG_COMMENT, SVG_SPACE_BETWEEN_TAGS
from portal.services.letters import _refuse_fetch

FILENAME = "what-is-the-dynamic-support-register.pdf"


def picture_svg(idea: str, alt: str = "") -> Markup:
    """The idea's picture as inline SVG (no file to fetch); a meaningful picture carries its words as `<title>`.

    Tagged, the PDF marks each picture as a figure, and a `<title>` becomes its
    alternative text for a screen reader.
    """
    svg = SVG_SPACE_BETWEEN_TAGS.sub("><", SVG_COMMENT.sub("", source_file(idea).read_text())).strip()
    if alt:
        opening = svg.index(">") + 1
        svg = f"{svg[:opening]}<title>{escape(alt)}</title>{svg[opening:]}"
    return Markup(svg)  # noqa: S704 (OpenMoji's own SVG, read from the installed package; alt escaped)


def _render(language: str) -> bytes:
    settings = current_app.config["PORTAL_SETTINGS"]
    page_language = i18n.language(language)
    phone = settings.team.phone.replace(" ", "\u00a0")
    if page_language.direction == "rtl":
        phone = f"{i18n.LEFT_TO_RIGHT_ISOLATE}{phone}{i18n.POP_ISOLATE}"  # digits stay in order in a right-to-left line
    values = {"website": settings.public_base_url.rstrip("/"), "phone": phone}
    html = render_template(
        "leaflet/what_is_the_dsr.html",
        parts=leaflet.PARTS,
        values=values,
        page_language=page_language,
        picture_svg=picture_svg,
    )
    return HTML(string=html, url_fetcher=_refuse_fetch).write_pdf(pdf_tags=True)  # type: ignore[no-any-return]


def leaflet_pdf() -> bytes:
    """The leaflet in the current language, made on first request and kept (it changes only with a release)."""
    language = str(get_locale() or "en")
    made: dict[str, bytes] = current_app.extensions.setdefault("leaflet_pdfs", {})
    if language not in made:
        made[language] = _render(language)
    return made[language]
