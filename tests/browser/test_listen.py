"""The Listen button reads the page's main content aloud, in the page's language, only where the browser can speak.

The browser's speech API is replaced by a recording stub before the page's own
scripts run (`add_init_script`): the stub stands in for the browser, and our
`listen.js` runs unchanged against it.
"""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.browser.conftest import assert_accessible

RECORDING_SPEECH = """
window.spoken = [];
window.speechCancelled = 0;
class SpeechSynthesisUtterance {
  constructor(text) { this.text = text; this.lang = ""; this.onend = null; }
}
const speechSynthesis = {
  getVoices: () => [
    { name: "Cloud voice", lang: "en-GB", localService: false },
    { name: "Stub voice", lang: "en-GB", localService: true },
  ],
  speak(utterance) {
    window.spoken.push({ text: utterance.text, lang: utterance.lang, voice: utterance.voice && utterance.voice.name });
  },
  cancel() { window.speechCancelled += 1; },
  addEventListener() {},
};
Object.defineProperty(window, "speechSynthesis", { value: speechSynthesis, configurable: true });
Object.defineProperty(window, "SpeechSynthesisUtterance", { value: SpeechSynthesisUtterance, configurable: true });
"""

NO_SPEECH = """
Object.defineProperty(window, "speechSynthesis", { value: undefined, configurable: true });
Object.defineProperty(window, "SpeechSynthesisUtterance", { value: undefined, configurable: true });
"""

NO_VOICE_FOR_THE_LANGUAGE = RECORDING_SPEECH.replace('lang: "en-GB"', 'lang: "fr-FR"')
ONLY_A_CLOUD_VOICE = RECORDING_SPEECH.replace("localService: true", "localService: false")


def spoken(page: Page) -> list[dict[str, str]]:
    return page.evaluate("() => window.spoken")


def main_text(page: Page) -> str:
    return " ".join(page.locator("main").inner_text().split())


def test_listen_reads_the_main_content_in_the_page_language(page: Page):
    page.add_init_script(RECORDING_SPEECH)
    page.goto("/")
    listen = page.get_by_role("button", name="Listen")
    expect(listen).to_be_visible()
    listen.click()

    said = spoken(page)
    words = " ".join(" ".join(part["text"] for part in said).split())
    assert words == main_text(page)
    assert words.startswith("Ask to go on the Dynamic Support Register")
    assert {part["voice"] for part in said} == {"Stub voice"}, "only the voice on this device speaks"
    assert "The Dynamic Support Register (DSR) is a list of people" in words
    assert "Accessibility statement" not in words  # the footer is not read
    assert {part["lang"] for part in said} == {"en"} == {page.evaluate("document.documentElement.lang")}
    expect(page.get_by_role("button", name="Stop")).to_be_visible()


def test_listen_works_from_the_keyboard_and_stops(page: Page):
    page.add_init_script(RECORDING_SPEECH)
    page.goto("/?mode=easy")
    listen = page.get_by_role("button", name="Listen")
    listen.focus()
    page.keyboard.press("Enter")
    assert "This form asks to put a person on a list." in " ".join(p["text"] for p in spoken(page))
    stop = page.get_by_role("button", name="Stop")
    expect(stop).to_be_focused()
    cancelled = page.evaluate("() => window.speechCancelled")
    page.keyboard.press("Space")
    expect(page.get_by_role("button", name="Listen")).to_be_focused()
    assert page.evaluate("() => window.speechCancelled") > cancelled


def test_no_button_without_speech(page: Page):
    page.add_init_script(NO_SPEECH)
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.wait_for_load_state("load")
    expect(page.locator("#listen")).to_be_hidden()
    expect(page.get_by_role("button", name="Listen")).to_have_count(0)


def test_no_button_without_a_voice_for_the_page_language(page: Page):
    page.add_init_script(NO_VOICE_FOR_THE_LANGUAGE)
    page.goto("/")
    page.wait_for_load_state("load")
    expect(page.get_by_role("button", name="Listen")).to_have_count(0)


def test_no_button_when_the_only_voice_would_send_the_words_away(page: Page):
    """A page may show a person's health details: they are never sent to a cloud voice."""
    page.add_init_script(ONLY_A_CLOUD_VOICE)
    page.goto("/")
    page.wait_for_load_state("load")
    expect(page.get_by_role("button", name="Listen")).to_have_count(0)


def test_no_button_without_javascript(no_js_page: Page):
    no_js_page.goto("/")
    expect(no_js_page.get_by_role("button", name="Listen")).to_have_count(0)


def test_a_page_with_the_listen_button_passes_axe(page: Page):
    page.add_init_script(RECORDING_SPEECH)
    page.goto("/referral/who")
    expect(page.get_by_role("button", name="Listen")).to_be_visible()
    assert_accessible(page, "question page with the Listen button")
    page.get_by_role("button", name="Listen").click()
    assert_accessible(page, "question page while listening")
