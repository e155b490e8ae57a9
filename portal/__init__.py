"""The DSR self-referral and consent portal: `create_app()` builds it."""

from __future__ import annotations

import json
from typing import Any

from flask import Flask, current_app, g, request
from flask.sessions import SecureCookieSessionInterface, SessionMixin
from flask_babel import format_date, get_translations
from flask_compress import Compress
from jinja2 import ChainableUndefined, ChoiceLoader, PackageLoader
from markupsafe import Markup
from whitenoise import WhiteNoise

from portal import assets, db, errors, i18n, logs, security
from portal.config import ROOT, load_settings
from portal.extensions import babel, csrf, fragments, limiter


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app; `config` overrides settings read from the environment (used by tests)."""
    settings = load_settings(config)
    app = Flask(__name__, static_folder=None, instance_path=str(ROOT / "instance"))
    app.session_interface = SessionCookie()
    app.config.update(settings.flask_config())
    app.config["BABEL_DEFAULT_TIMEZONE"] = "Europe/London"

    logs.init_app(app, settings.log_level)
    _init_templates(app)
    _init_fragment_cache(app)
    db.init_app(app, settings.database_url)
    csrf.init_app(app)
    babel.init_app(
        app, locale_selector=i18n.select_language, default_translation_directories=str(ROOT / "translations")
    )
    i18n.init_app(app)
    _init_page_gettext(app)
    limiter.init_app(app)
    security.init_app(app, production=settings.env == "production")
    errors.init_app(app)
    _init_compression(app)

    from portal.cli import register_commands
    from portal.public import bp as public_bp
    from portal.staff import bp as staff_bp

    app.register_blueprint(public_bp)
    app.register_blueprint(staff_bp)
    register_commands(app)

    app.wsgi_app = WhiteNoise(  # type: ignore[method-assign]
        app.wsgi_app,
        root=str(assets.DIST),
        prefix="assets/",
        max_age=365 * 24 * 3600,
        immutable_file_test=lambda _path, _url: True,
        add_headers_function=security.static_header_adder(settings.env == "production"),
    )
    return app


def _init_templates(app: Flask) -> None:
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
    """An NHS.UK component rendered once per process for each set of params (header, footer, skip link).

    The macros cost 0.3 to 0.5 ms a call and these are the same on every page in a language; the key is
    the params themselves, so a different language, link or label is a different entry, never a stale one.
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


class SessionCookie(SecureCookieSessionInterface):
    """The session cookie is sent again when it changes or a form is sent, not on every page view.

    Re-signing it on every GET cost 0.2 ms a page. Every save is a POST, and a save is what
    extends a draft, so the cookie (timeout + 24 hours) still always outlives the draft it names.
    """

    def should_set_cookie(self, app: Flask, session: SessionMixin) -> bool:
        if session.modified:
            return True
        return (
            session.permanent and app.config["SESSION_REFRESH_EACH_REQUEST"] and request.method not in ("GET", "HEAD")
        )


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


def _init_page_gettext(app: Flask) -> None:
    """Templates' `_()` and friends, as Flask-Babel installs them, through `page_translations()`."""
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda s: page_translations().ugettext(s),
        ngettext=lambda s, p, n: page_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: page_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: page_translations().unpgettext(c, s, p, n),
    )


def _init_compression(app: Flask) -> None:
    """Brotli or gzip for pages: people refer from phones on small data plans (assets come precompressed)."""
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_BR_LEVEL", 5)
    app.config.setdefault("COMPRESS_MIMETYPES", ["text/html", "application/json"])
    Compress(app)


def _form_action() -> str:
    """This page's own address, query included (`return_to` must survive a failed POST)."""
    return request.full_path.rstrip("?")
