"""The easy-read leaflet PDF: every sentence of its blocks, a picture beside each, served as a named PDF."""

from __future__ import annotations

import io
from typing import Any

import pypdf
import pypdfium2
import pytest
from flask import Flask

from easy_read.leaflet import TITLE, every_block
from portal import i18n
from portal.services.leaflet import picture_svg
from tests.conftest import make_app

LEAFLET_URL = "/what-is-the-dsr.pdf"
PUBLIC_ADDRESS = "https://dsr.example.nhs.uk"


@pytest.fixture
def app(sqlite_template, tmp_path) -> Any:
    """The portal with a public address set, as a deployment would have."""
    path = tmp_path / "portal.sqlite3"
    path.write_bytes(sqlite_template.read_bytes())
    app = make_app(f"sqlite:///{path}", public_base_url=PUBLIC_ADDRESS + "/")
    yield app
    app.extensions["engine"].dispose()


def fetch_leaflet(app: Flask, **headers: str) -> Any:
    return app.test_client().get(LEAFLET_URL, headers=headers)


def words_of(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def figures_of(pdf: bytes) -> list[Any]:
    """Every figure in the tagged PDF's structure tree: what a screen reader announces as a picture."""
    found: list[Any] = []
    pending = [pypdf.PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/StructTreeRoot"]]
    while pending:
        node = pending.pop().get_object()
        if not isinstance(node, pypdf.generic.DictionaryObject):
            continue
        if node.get("/S") == "/Figure":
            found.append(node)
        kids = node.get("/K")
        if kids is not None:
            pending.extend(kids if isinstance(kids, list) else [kids])
    return found


def test_the_leaflet_is_a_pdf_with_a_file_name(app):
    response = fetch_leaflet(app)
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF-")
    assert response.headers["Content-Disposition"] == 'inline; filename="what-is-the-dynamic-support-register.pdf"'


def test_the_leaflet_has_every_sentence_of_its_blocks(app):
    text = words_of(fetch_leaflet(app).data)
    assert text.startswith(str(TITLE))
    values = {"website": PUBLIC_ADDRESS, "phone": app.config["PORTAL_SETTINGS"].team.phone}
    missing = [str(b.text) % values for b in every_block() if " ".join((str(b.text) % values).split()) not in text]
    assert missing == []
    assert "This form asks to put a person on a list." not in text  # the website's opening is not the leaflet's


def test_the_leaflet_has_a_picture_beside_each_block(app):
    figures = figures_of(fetch_leaflet(app).data)
    assert len(figures) == len(every_block())


def test_a_meaningful_picture_carries_its_words_as_a_title():
    assert "<title>Yes &amp; no</title>" in picture_svg("consent", "Yes & no")
    assert "<title>" not in picture_svg("consent")


def test_the_printed_address_is_the_configured_one_not_the_request_host(app):
    text = words_of(fetch_leaflet(app, Host="evil.example").data)
    assert PUBLIC_ADDRESS in text
    assert "evil.example" not in text


def test_the_leaflet_is_made_once_per_language(app):
    first = fetch_leaflet(app).data
    assert fetch_leaflet(app).data == first
    assert list(app.extensions["leaflet_pdfs"]) == ["en"]


@pytest.mark.parametrize("mode", ["plain", "easy"])
def test_the_start_page_links_to_the_leaflet_in_both_modes(client, mode):
    page = client.get(f"/?mode={mode}")
    link = page.soup.find("a", href=LEAFLET_URL)
    assert link is not None
    assert "leaflet" in link.get_text() and "(PDF)" in link.get_text()


def coloured_columns(pdf: bytes) -> tuple[int, int]:
    """Coloured pixels on the left and right half of the first page: the pictures are in colour, the text is not."""
    image = pypdfium2.PdfDocument(pdf)[0].render(scale=0.5).to_pil().convert("RGB")
    width, height = image.size
    left = right = 0
    for x in range(width):
        for y in range(0, height, 2):
            r, g, b = image.getpixel((x, y))
            if max(r, g, b) - min(r, g, b) > 60:
                if x < width // 2:
                    left += 1
                else:
                    right += 1
    return left, right


def test_a_right_to_left_leaflet_puts_the_pictures_on_the_reading_side(app):
    app.config[i18n.CONFIG_KEY] = ("en", "ar")
    english = fetch_leaflet(app).data
    arabic = app.test_client().get(f"{LEAFLET_URL}?lang=ar").data
    assert pypdf.PdfReader(io.BytesIO(arabic)).trailer["/Root"]["/Lang"] == "ar"
    english_left, english_right = coloured_columns(english)
    arabic_left, arabic_right = coloured_columns(arabic)
    assert english_left > 2 * english_right, (english_left, english_right)
    assert arabic_right > 2 * arabic_left, (arabic_left, arabic_right)
