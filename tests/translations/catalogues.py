"""Test-only catalogues: every message marked, so a page shows at once which text was never translated.

`compile_pseudo(directory, "pl")` writes `directory/pl/LC_MESSAGES/messages.mo` from the committed
`translations/messages.pot`, each translation being "⟦" + the English + "⟧" with its placeholders
kept. An app pointed at that directory (`pseudo_app`) shows every wrapped string marked; an
unwrapped string shows bare. The same catalogue, compiled as "ar", exercises right-to-left pages
before the Arabic and Urdu catalogues ship.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask

from portal import i18n
from portal.config import ROOT
from portal.extensions import babel

POT = ROOT / "translations" / "messages.pot"
OPEN, CLOSE = "⟦", "⟧"


def pseudo(text: str) -> str:
    return f"{OPEN}{text}{CLOSE}" if text else text


def compile_pseudo(directory: Path, *locales: str) -> Path:
    """Compile the pseudo catalogue for each locale into `directory`; returns `directory`."""
    for locale in locales:
        with POT.open("rb") as source:
            catalogue = read_po(source, locale=locale)
        for message in catalogue:
            if not message.id:
                continue
            if isinstance(message.id, tuple):
                forms = [pseudo(form) for form in message.id]
                message.string = tuple(forms[min(n, len(forms) - 1)] for n in range(catalogue.num_plurals))
            else:
                message.string = pseudo(message.id)
        target = directory / locale / "LC_MESSAGES"
        target.mkdir(parents=True, exist_ok=True)
        with (target / "messages.mo").open("wb") as out:
            write_mo(out, catalogue)
    return directory


def use_catalogues(app: Flask, directory: Path, languages: tuple[str, ...]) -> Flask:
    """Point an app at test catalogues only, offering `languages`; forgets translations cached by earlier apps."""
    app.config[i18n.CONFIG_KEY] = languages
    app.extensions["babel"].translation_directories = [str(directory)]
    forget_cached_translations(app)
    return app


def forget_cached_translations(app: Flask) -> None:
    """Flask-Babel caches catalogues per process by locale, across apps: clear it around test catalogues."""
    with app.app_context():
        babel.domain_instance.cache.clear()


def placeholders(text: str) -> set[str]:
    """`%(name)s`-style placeholders, and a bare `%s` / `%d`, in a message."""
    return set(re.findall(r"%\([a-z_]+\)[sd]|%[sd]", text))


def visible_untranslated(text: str, allowed: tuple[str, ...] = ()) -> list[str]:
    """Pieces of `text` outside any ⟦…⟧ (nested marks allowed) with a letter in them, minus `allowed` values."""
    for value in sorted(allowed, key=len, reverse=True):
        if value:
            text = re.sub(rf"(?<!\w){re.escape(value)}(?!\w)", " ", text, flags=re.IGNORECASE)
    pieces: list[str] = []
    depth = 0
    current: list[str] = []
    for char in text:
        if char == OPEN:
            depth += 1
            pieces.append("".join(current))
            current = []
        elif char == CLOSE:
            depth = max(depth - 1, 0)
        elif depth == 0:
            current.append(char)
    pieces.append("".join(current))
    return [" ".join(p.split()) for p in pieces if re.search(r"[^\W\d_]", p)]


def answers_typed(pages: dict[str, dict[str, Any]]) -> tuple[str, ...]:
    """Every free-text value a test types in: shown back on check your answers, never translated.

    Choice values (`self`, `autism`, lists of codes) are left out: what they show is a translated label.
    """
    values = [value for answers in pages.values() for value in answers.values() if isinstance(value, str)]
    return tuple(value for value in values if len(value) > 2 and not re.fullmatch(r"[a-z_]+", value))
