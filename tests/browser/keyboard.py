"""Moving through pages with the keyboard alone: Tab and Shift+Tab, typing, Space and Enter.

Nothing here clicks or fills: every answer is typed into the element that has
focus, as a person who cannot use a mouse would. Each helper gives up after a
bounded number of key presses, so a keyboard trap fails the test rather than
hanging it.
"""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Locator, Page

from tests.browser.journey import MAIN_BUTTON, Answer, Choose

MAX_PRESSES = 60

IS_FOCUSED = "element => element === document.activeElement"
# Where focus is relative to `element`: "before", "after" or "here".
FOCUS_POSITION = """element => {
  const focused = document.activeElement;
  if (focused === element) return "here";
  if (!focused || focused === document.body) return "before";
  return element.compareDocumentPosition(focused) & Node.DOCUMENT_POSITION_PRECEDING ? "before" : "after";
}"""
# How an element looks, where focus would show: for a radio or checkbox (whose input is
# hidden behind its drawn circle or box) that is its label's ::before.
LOOK = """element => {
  const drawn = ["radio", "checkbox"].includes(element.type) ? [element.labels[0], "::before"] : [element, null];
  const style = getComputedStyle(...drawn);
  const transparent = /rgba\\(.*, 0\\)$|transparent/.test(style.outlineColor);
  return {
    outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0 && !transparent,
    boxShadow: style.boxShadow,
    all: [style.outlineStyle, style.outlineWidth, style.outlineColor, style.boxShadow,
          style.backgroundColor, style.color, style.borderColor, style.textDecorationLine].join(" | "),
    element: `${element.tagName} #${element.id} ${(element.innerText || element.name || "").slice(0, 40)}`,
  };
}"""


def look(page: Page, target: Locator | None = None) -> dict[str, Any]:
    """How `target` (or the focused element) looks now."""
    if target is None:
        return page.evaluate(f"() => ({LOOK})(document.activeElement)")
    return page.evaluate(LOOK, target.element_handle())


def focused_description(page: Page) -> str:
    return page.evaluate(
        "() => { const e = document.activeElement; return `${e.tagName} #${e.id} ${(e.innerText || e.name || '').slice(0, 40)}`; }"
    )


def tab_to(page: Page, target: Locator) -> dict[str, Any]:
    """Press Tab (or Shift+Tab, if the target is behind) until `target` has focus.

    Returns how the target looked before it had focus, for `assert_focus_visible`.
    """
    handle = target.element_handle()
    before = look(page, target)
    for _ in range(MAX_PRESSES):
        position = page.evaluate(FOCUS_POSITION, handle)
        if position == "here":
            return before
        page.keyboard.press("Tab" if position == "before" else "Shift+Tab")
    raise AssertionError(f"could not reach {target} with Tab; focus is on {focused_description(page)}")


def assert_focus_visible(page: Page, before: dict[str, Any]) -> None:
    """The focused element shows it has focus (WCAG 2.4.7): a visible outline or a box shadow,
    and it looks different from how it looked without focus."""
    now = look(page)
    assert now["outline"] or now["boxShadow"] != "none", f"no focus outline or shadow on {now['element']}"
    assert now["all"] != before["all"], f"{now['element']} looks the same with focus as without: {now['all']}"


def choose(page: Page, target: Locator) -> None:
    """Reach a radio or checkbox and tick it with Space.

    A group of radios is one Tab stop: Tab reaches the group, the arrow keys move
    within it (choosing as they go, as radios do), and Space ticks the one wanted.
    """
    if target.get_attribute("type") == "radio":
        name = target.get_attribute("name")
        before = look(page, target)
        for _ in range(MAX_PRESSES):
            if page.evaluate("name => document.activeElement.name === name", name):
                break
            page.keyboard.press("Tab")
        for _ in range(12):
            if page.evaluate(IS_FOCUSED, target.element_handle()):
                break
            page.keyboard.press("ArrowDown")
    else:
        before = tab_to(page, target)
    assert page.evaluate(IS_FOCUSED, target.element_handle()), f"could not reach {target}"
    assert_focus_visible(page, before)
    page.keyboard.press("Space")
    assert target.is_checked(), f"Space did not tick {target}"


def type_into(page: Page, target: Locator, text: str) -> None:
    assert_focus_visible(page, tab_to(page, target))
    page.keyboard.type(text)


def answer_with_keyboard(page: Page, answers: tuple[Answer, ...]) -> None:
    for answer in answers:
        field = page.get_by_label(answer.label, exact=True)
        if isinstance(answer, Choose):
            choose(page, field)
        else:
            type_into(page, field, answer.text)


def press_enter_on(page: Page, button: Locator) -> None:
    """Tab to a button (or link) and press Enter, waiting for the next page."""
    assert_focus_visible(page, tab_to(page, button))
    with page.expect_navigation():
        page.keyboard.press("Enter")


def continue_with_keyboard(page: Page) -> None:
    press_enter_on(page, page.get_by_role("button", name=MAIN_BUTTON))
