"""The character count speaks the page's language: its hint, and every message NHS.UK's script may show."""

from __future__ import annotations

import pytest

from tests.support.journey import walk_to_check

BOX = "[data-module=nhsuk-character-count]"


def question_page(client, query: str = ""):
    walk_to_check(client)
    return client.get(f"/referral/whats-happening{query}")


def i18n_attributes(page) -> dict[str, str]:
    box = page.soup.select_one(BOX)
    return {name: value for name, value in box.attrs.items() if name.startswith("data-i18n.")}


def test_the_script_s_messages_are_given_for_each_english_plural_category(client):
    page = question_page(client)
    assert i18n_attributes(page) == {
        "data-i18n.characters-under-limit.one": "You have %{count} character remaining",
        "data-i18n.characters-under-limit.other": "You have %{count} characters remaining",
        "data-i18n.characters-over-limit.one": "You have %{count} character too many",
        "data-i18n.characters-over-limit.other": "You have %{count} characters too many",
        "data-i18n.characters-at-limit": "You have 0 characters remaining",
    }
    assert page.text_of(".nhsuk-character-count__message") == "You can enter up to 5000 characters"


@pytest.mark.parametrize(
    ("code", "categories"),
    [("pl", {"one", "few", "many", "other"}), ("ar", {"zero", "one", "two", "few", "many", "other"})],
)
def test_each_language_gets_a_translated_message_for_each_of_its_plural_categories(client, code, categories):
    page = question_page(client, f"?lang={code}")
    under = {
        name.rsplit(".", 1)[1]: words
        for name, words in i18n_attributes(page).items()
        if name.startswith("data-i18n.characters-under-limit.")
    }
    assert set(under) == categories
    assert all("%{count}" in words and "remaining" not in words for words in under.values())
