"""How pages are rendered: the Jinja environment, its globals, the page chrome cache, `_()` in templates."""

from __future__ import annotations

import json
from typing import Any

from flask import Flask, current_app, g, request
from flask.templating import Environment
from flask_babel import format_date, get_translations
from jinja2 import ChainableUndefined, ChoiceLoader, PackageLoader
from markupsafe import Markup

from portal import assets
from portal.extensions import fragments


class FlatGlobalsEnvironment(Environment):
    """Each template's globals as one plain dict, not a `ChainMap` over the environment's.

    Jinja reads a template's globals on every render and on every `{% from ... import %}`
    (the NHS.UK macros import others on each call): through a `ChainMap` that is a Python-level
    lookup per name, 16 % of the check-your-answers page (pallets/jinja#2185 is the same fix
    upstream). The price is Jinja's own advice: every global is set in `create_app`, before
    the first template is loaded, and never changed afterwards.
    """

    def make_globals(self, d: Any) -> Any:
        return {**self.globals, **(d or {})}


class PortalFlask(Flask):
    jinja_environment = FlatGlobalsEnvironment


def init_app(app: Flask) -> None:
    """Autoescape every template, `.jinja` included: the NHS.UK macros are `.jinja` files."""
    app.jinja_env.autoescape = True
    app.jinja_env.undefined = ChainableUndefined
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_loader = ChoiceLoader(
        [app.jinja_loader, PackageLoader("nhsuk_frontend_jinja", "templates")]  # type: ignore[list-item]
    )
    app.jinja_env.globals["asset_path"] = assets.asset_path
    app.jinja_env.globals["form_action"] = _form_action
    app.jinja_env.globals["format_date"] = format_date
    app.jinja_env.globals["team"] = app.config["PORTAL_SETTINGS"].team
    app.jinja_env.globals["rendered_once"] = rendered_once
    _init_fragment_cache(app)


FRAGMENTS_KEPT = 1000


def _init_fragment_cache(app: Flask) -> None:
    """`{% cache None, name, language, mode %}` keeps the page chrome that is the same for everyone.

    The header, footer, language list and help boxes were half a question page's CPU. Every
    fragment is keyed by all it depends on (language, reading mode), holds nothing about a person
    and no per-request value (CSP nonce, CSRF token): those stay outside the `{% cache %}` blocks.
    Kept in each worker's memory; `flask run --debug` keeps none, so edited templates show at once.
    """
    app.config.setdefault("CACHE_TYPE", "NullCache" if app.debug else "SimpleCache")
    app.config.setdefault("CACHE_DEFAULT_TIMEOUT", 0)
    app.config.setdefault("CACHE_THRESHOLD", FRAGMENTS_KEPT)
    app.config.setdefault("CACHE_NO_NULL_WARNING", True)
    fragments.init_app(app)


RENDERED_ONCE_LIMIT = 512


def rendered_once(component: str, params: dict[str, Any]) -> Markup:
    """An NHS.UK component rendered once per process for each set of params (back link, buttons).

    The macros cost 0.3 to 0.5 ms a call and these repeat across pages; the key is the params
    themselves, so a different language, link or label is a different entry, never a stale one.
    Inside a `{% cache %}` block (header, footer) it runs only when that block is first rendered.
    """
    cache: dict[tuple[str, str], Markup] = current_app.extensions.setdefault("rendered_once", {})
    key = (component, json.dumps(params, sort_keys=True, default=str))
    if key not in cache:
        if len(cache) >= RENDERED_ONCE_LIMIT:
            cache.clear()
        name = component.split("-")[0] + "".join(word.title() for word in component.split("-")[1:])
        macro = getattr(current_app.jinja_env.get_template(f"nhsuk/components/{component}/macro.jinja").module, name)
        cache[key] = Markup(macro(params))  # noqa: S704 - the NHS.UK macro escapes every `text` param
    return cache[key]


def page_translations() -> Any:
    """This request's catalogue, found once per request rather than on each of a page's 20-odd `_()` calls.

    Flask-Babel finds the domain, the locale and the catalogue again on every call (a tenth
    of a question page's CPU). It is kept where Flask-Babel's `force_locale()` and `refresh()`
    reset it, so a forced or refreshed language is always looked up afresh.
    """
    if not g:
        return get_translations()
    holder = g.get("_flask_babel")
    found = getattr(holder, "babel_translations", None)
    if found is None:
        found = get_translations()
        g._flask_babel.babel_translations = found
    return found


def init_page_gettext(app: Flask) -> None:
    """Templates' `_()` and friends, as Flask-Babel installs them, through `page_translations()`."""
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: page_translations().ugettext(s),
        ngettext=lambda s, p, n: page_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: page_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: page_translations().unpgettext(c, s, p, n),
    )


def _form_action() -> str:
    """This page's own address, query included (`return_to` must survive a failed POST)."""
    return request.full_path.rstrip("?")
