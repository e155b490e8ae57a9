"""Which language a public page is in: the person's choice, remembered in the session cookie.

Order: a `?lang=xx` in the link (a letter or an email opens in the person's language),
then the choice remembered in the session, then the browser's `Accept-Language`, then
English. Only languages whose catalogue passes the translation gate in `tests/translations/`
are shipped (`SHIPPED_LANGUAGES`); a deployment offers those its `LANGUAGES` setting names
(its reviewed ones), or all of them. The staff area is always in English.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode

from flask import Flask, current_app, has_request_context, request, session
from flask_babel import force_locale, get_locale
from markupsafe import Markup, escape

from portal.config import ConfigError

ENGLISH = "en"
# Unicode "left-to-right isolate" and "pop directional isolate": a phone number inside a right-to-left
# sentence keeps its digit groups in order (0300 000 0000, not 0000 000 0300).
LEFT_TO_RIGHT_ISOLATE, POP_ISOLATE = "\u2066", "\u2069"
SESSION_KEY = "language"
QUERY_KEY = "lang"


@dataclass(frozen=True)
class Language:
    """A language as its readers name it: its own name in its own script, and its writing direction."""

    code: str
    name: str
    english_name: str
    direction: str = "ltr"


LANGUAGES: dict[str, Language] = {
    language.code: language
    for language in (
        Language("en", "English", "English"),
        Language("pl", "Polski", "Polish"),
        Language("ro", "Română", "Romanian"),
        Language("pt", "Português", "Portuguese"),
        Language("ur", "اردو", "Urdu", "rtl"),
        Language("ar", "العربية", "Arabic", "rtl"),
        Language("bn", "বাংলা", "Bengali"),
    )
}

# Languages offered to the public. Add a code only once its catalogue passes the translation gate.
SHIPPED_LANGUAGES: tuple[str, ...] = ("en", "pl", "ro", "pt", "ur", "ar", "bn")

# App config key: tests (and a deployment trialling a language) may offer a different list.
CONFIG_KEY = "PORTAL_LANGUAGES"


def shipped() -> tuple[str, ...]:
    """The languages this app offers, English first."""
    return tuple(current_app.config.get(CONFIG_KEY, SHIPPED_LANGUAGES))


def language(code: str) -> Language:
    """The language with this code; English for any code we do not know."""
    return LANGUAGES.get(code, LANGUAGES[ENGLISH])


def is_staff_request() -> bool:
    return request.blueprint == "staff" or request.path == "/staff" or request.path.startswith("/staff/")


def select_language() -> str:
    """Flask-Babel's locale selector: the language of this request (see the module docstring)."""
    if not has_request_context() or is_staff_request():
        return ENGLISH
    offered = shipped()
    asked = request.args.get(QUERY_KEY)
    if asked in offered:
        return asked
    remembered = session.get(SESSION_KEY)
    if remembered in offered:
        return str(remembered)
    return browser_language(offered)


def browser_language(offered: tuple[str, ...]) -> str:
    """The first of the browser's languages, by preference, that we offer; `en-GB` counts as `en`."""
    for value, _quality in request.accept_languages:
        primary = value.replace("_", "-").split("-")[0].lower()
        if primary in offered:
            return primary
    return ENGLISH


def remember_choice() -> None:
    """Before each request: a valid `?lang=` in the link is remembered for every later page."""
    if is_staff_request():
        return
    asked = request.args.get(QUERY_KEY)
    if asked in shipped() and session.get(SESSION_KEY) != asked:
        session[SESSION_KEY] = asked


def current() -> str:
    """The language of this request (or of `speaking`): what a draft and a referral record."""
    locale = get_locale()
    code = locale.language if locale else ENGLISH
    return code if code in LANGUAGES else ENGLISH


def deliverable(code: str) -> str:
    """The language to write to a person in: theirs while the portal still offers it, else English."""
    return code if code in shipped() else ENGLISH


@contextmanager
def speaking(code: str) -> Iterator[None]:
    """Write an email, a letter or a link for a person in their language (the team's mail stays English)."""
    with force_locale(deliverable(code)):
        yield


def url_for_language(code: str) -> str:
    """This page in another language: a query-only link (`?lang=pl`, other query values kept).

    Query-only, so a signed-link page never prints its own path (and token) in its body.
    """
    if not request.query_string:
        return f"?{QUERY_KEY}={code}"
    args = [(key, value) for key, value in request.args.items(multi=True) if key != QUERY_KEY]
    return f"?{urlencode([*args, (QUERY_KEY, code)])}"


def with_language(url: str, code: str) -> str:
    """A link the person receives, carrying their language (`lang` is a query value, never in a token)."""
    if code == ENGLISH or code not in LANGUAGES:
        return url
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}{urlencode({QUERY_KEY: code})}"


def template_values() -> dict[str, object]:
    """`page_language` for `<html lang dir>` on every page and letter; the language list on public pages only."""
    page = language(current())
    offered = shipped()
    choices = []
    if has_request_context() and len(offered) > 1 and not is_staff_request():
        choices = [(LANGUAGES[code], url_for_language(code), code == page.code) for code in offered]
    values: dict[str, object] = {"page_language": page, "language_choices": choices}
    if page.direction == "rtl":
        values["team"] = team_for_right_to_left(current_app.jinja_env.globals["team"])
    return values


def team_for_right_to_left(team: Any) -> Any:
    """The team's details with each phone number isolated left to right, for right-to-left sentences."""
    return replace(
        team,
        phone=f"{LEFT_TO_RIGHT_ISOLATE}{team.phone}{POP_ISOLATE}",
        crisis_phone=f"{LEFT_TO_RIGHT_ISOLATE}{team.crisis_phone}{POP_ISOLATE}",
    )


def label(code: str) -> str:
    """A language as the team reads it, in English with its own name: "Polish (Polski)"."""
    found = LANGUAGES.get(code)
    if found is None:
        return code
    return found.name if found.code == ENGLISH else f"{found.english_name} ({found.name})"


def label_html(code: str) -> Markup:
    """`label`, with the language's own name marked as that language (WCAG 3.1.2), so it is read aloud in it."""
    found = LANGUAGES.get(code)
    if found is None or found.code == ENGLISH:
        return escape(label(code))
    direction = Markup(' dir="rtl"') if found.direction == "rtl" else Markup("")
    return Markup('{} (<span lang="{}"{}>{}</span>)').format(found.english_name, found.code, direction, found.name)


def offered_by(settings: Any) -> tuple[str, ...]:
    """The languages a deployment offers: `LANGUAGES` (English always first), or every shipped one.

    An ICB may offer only the catalogues its translator has reviewed; a code we do not ship is a
    mistake, so the app refuses to start with one.
    """
    chosen = tuple(settings.languages)
    unknown = [code for code in chosen if code not in SHIPPED_LANGUAGES]
    if unknown:
        raise ConfigError(f"LANGUAGES names languages we do not ship: {', '.join(unknown)}")
    if not chosen:
        return SHIPPED_LANGUAGES
    return (ENGLISH, *(code for code in SHIPPED_LANGUAGES if code in chosen and code != ENGLISH))


def init_app(app: Flask) -> None:
    app.config.setdefault(CONFIG_KEY, offered_by(app.config["PORTAL_SETTINGS"]))
    app.before_request(remember_choice)
    app.context_processor(template_values)
    app.jinja_env.globals["language_label"] = label
