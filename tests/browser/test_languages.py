"""Every language in a real browser: the start page, a question with an error, and the confirmation.

Each page passes axe and has the right `lang` and `dir`. Right-to-left pages are compared with
their left-to-right twin: the question's heading, error and answers sit at the right edge in
right to left and at the left edge in left to right, and the right-to-left screenshot, mirrored,
is closer to its twin than unmirrored. Shipped languages use their own catalogues; test-only
pseudo catalogues ("pl" and its right-to-left twin "ar") test the mechanism whatever ships today.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup
from PIL import Image, ImageChops, ImageOps, ImageStat
from playwright.sync_api import Browser, Page

from portal import i18n
from portal.config import ROOT
from tests.browser.conftest import LiveServer, assert_accessible, browser_context, open_page
from tests.support.journey import PAGES
from tests.translations.catalogues import compile_pseudo, use_catalogues

FORM = {"Content-Type": "application/x-www-form-urlencoded"}
PSEUDO_TWINS = {"ar": "pl"}  # test-only right-to-left language → its left-to-right twin (same words)
EDGE = 3  # px: how close to the form's edge a right- or left-aligned thing must start
# Where a thing starts (its reading side), from its text or its box, and the form group's content box.
MEASURE = """() => {
  const group = document.querySelector('.nhsuk-form-group--error');
  const style = getComputedStyle(group);
  const box = group.getBoundingClientRect();
  const inner = {left: box.left + parseFloat(style.borderLeftWidth) + parseFloat(style.paddingLeft),
                 right: box.right - parseFloat(style.borderRightWidth) - parseFloat(style.paddingRight)};
  const text = (selector) => {
    const range = document.createRange();
    range.selectNodeContents(document.querySelector(selector));
    const r = range.getBoundingClientRect();
    return {left: r.left, right: r.right};
  };
  const input = document.querySelector('.nhsuk-radios__input').getBoundingClientRect();
  return {inner, heading: text('.nhsuk-fieldset__heading'), error: text('.nhsuk-error-message'),
          label: text('.nhsuk-radios__label'), input: {left: input.left, right: input.right},
          bar: {left: style.borderLeftWidth, right: style.borderRightWidth}};
}"""


def compile_shipped(directory: Path) -> Path:
    """The shipped catalogues, compiled from their .po now (a stale .mo must not pass for a fresh .po)."""
    for code in i18n.SHIPPED_LANGUAGES:
        source = ROOT / "translations" / code / "LC_MESSAGES" / "messages.po"
        if code == i18n.ENGLISH:
            continue
        with source.open("rb") as po:
            catalogue = read_po(po, locale=code)
        target = directory / code / "LC_MESSAGES"
        target.mkdir(parents=True, exist_ok=True)
        with (target / "messages.mo").open("wb") as mo:
            write_mo(mo, catalogue)
    return directory


@pytest.fixture
def servers(start_live_server: Callable[..., LiveServer], tmp_path: Path) -> Iterator[dict[str, LiveServer]]:
    """One portal with the shipped catalogues, one with the pseudo catalogues."""
    shipped = start_live_server()
    use_catalogues(shipped.app, compile_shipped(tmp_path / "shipped"), i18n.SHIPPED_LANGUAGES)
    pseudo = start_live_server()
    use_catalogues(pseudo.app, compile_pseudo(tmp_path / "pseudo", "ar", "pl"), ("en", "pl", "ar"))
    yield {"shipped": shipped, "pseudo": pseudo}
    use_catalogues(pseudo.app, tmp_path / "none", i18n.SHIPPED_LANGUAGES)


CASES = [("shipped", code) for code in i18n.SHIPPED_LANGUAGES] + [("pseudo", "pl"), ("pseudo", "ar")]


def field(html: str, name: str) -> str:
    return str(BeautifulSoup(html, "html.parser").select_one(f"input[name={name}]")["value"])


def send_referral(page: Page) -> None:
    """Answer every page through the browser's own session (its cookies), then open the confirmation."""
    request = page.context.request
    url = "/referral/who"
    while not url.startswith("/referral/check"):
        token = field(request.get(url).text(), "csrf_token")
        slug = url.removeprefix("/referral/").split("?")[0]
        body = urlencode({**PAGES[slug], "csrf_token": token}, doseq=True)
        sent = request.post(url, data=body, headers=FORM, max_redirects=0)
        assert sent.status == 302, f"{slug}: {sent.status}"
        url = sent.headers["location"]
    check = request.get("/referral/check").text()
    form = {"csrf_token": field(check, "csrf_token"), "submission_id": field(check, "submission_id")}
    assert request.post("/referral/check", form=form, max_redirects=0).status == 302
    page.goto("/referral/confirmation")


def question_with_error(page: Page) -> None:
    page.goto("/referral/who")
    page.locator(".nhsuk-button-group button").first.click()
    page.wait_for_selector(".nhsuk-error-summary")


def assert_language(page: Page, code: str) -> None:
    assert page.locator("html").get_attribute("lang") == code
    assert page.locator("html").get_attribute("dir") == i18n.language(code).direction


@pytest.mark.parametrize(("catalogues", "code"), CASES, ids=[f"{kind}-{code}" for kind, code in CASES])
def test_each_language_reads_right_and_passes_axe(
    browser: Browser, servers: dict[str, LiveServer], catalogues: str, code: str
) -> None:
    with browser_context(browser, servers[catalogues]) as context:
        page = open_page(context)
        page.goto(f"/?lang={code}")
        assert_language(page, code)
        assert_accessible(page, f"start page in {code}")
        question_with_error(page)
        assert_language(page, code)
        assert_accessible(page, f"question with an error in {code}")
        send_referral(page)
        assert_language(page, code)
        assert page.locator(".app-reference").count() == 1
        assert_accessible(page, f"confirmation in {code}")


def measure_error_page(browser: Browser, server: LiveServer, code: str) -> tuple[dict, Image.Image]:
    with browser_context(browser, server, viewport={"width": 1024, "height": 900}) as context:
        page = open_page(context)
        page.goto(f"/?lang={code}")
        question_with_error(page)
        measured = page.evaluate(MEASURE)
        shot = Image.open(io.BytesIO(page.locator(".nhsuk-form-group--error").screenshot())).convert("L")
        return measured, shot


def assert_reads_from(measured: dict, side: str) -> None:
    """Heading, error and answer start on the reading side; the radio comes before its words."""
    edge = measured["inner"][side]
    for part in ("heading", "error", "input"):
        assert abs(measured[part][side] - edge) <= EDGE + (8 if part == "input" else 0), (part, side, measured)
    if side == "right":
        assert measured["input"]["left"] > measured["label"]["right"] - 1, measured
        assert (measured["bar"]["right"], measured["bar"]["left"]) == ("4px", "0px")
    else:
        assert measured["input"]["right"] < measured["label"]["left"] + 1, measured
        assert (measured["bar"]["left"], measured["bar"]["right"]) == ("4px", "0px")


def difference(one: Image.Image, other: Image.Image) -> float:
    width, height = min(one.width, other.width), min(one.height, other.height)
    box = (0, 0, width, height)
    return ImageStat.Stat(ImageChops.difference(one.crop(box), other.crop(box))).mean[0]


RTL_CASES = [
    ("shipped", code, i18n.ENGLISH) for code in i18n.SHIPPED_LANGUAGES if i18n.language(code).direction == "rtl"
]
RTL_CASES += [("pseudo", code, twin) for code, twin in PSEUDO_TWINS.items()]


@pytest.mark.parametrize(("catalogues", "code", "twin"), RTL_CASES, ids=[f"{k}-{c}" for k, c, _t in RTL_CASES])
def test_right_to_left_mirrors_its_left_to_right_twin(
    browser: Browser, servers: dict[str, LiveServer], catalogues: str, code: str, twin: str
) -> None:
    server = servers[catalogues]
    rtl, rtl_shot = measure_error_page(browser, server, code)
    ltr, ltr_shot = measure_error_page(browser, server, twin)
    assert_reads_from(ltr, "left")
    assert_reads_from(rtl, "right")
    if catalogues == "pseudo":  # the same words both ways: the mirrored layout must match the twin's
        assert difference(ImageOps.mirror(rtl_shot), ltr_shot) < difference(rtl_shot, ltr_shot)
