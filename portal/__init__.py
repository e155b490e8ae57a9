"""The DSR self-referral and consent portal: `create_app()` builds it."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask_compress import Compress
from werkzeug.middleware.proxy_fix import ProxyFix
from whitenoise import WhiteNoise

from portal import assets, db, errors, i18n, logs, page_skeletons, request_guard, security, templating
from portal.config import ROOT, load_settings
from portal.extensions import babel, csrf, limiter
from portal.session_cookie import SessionCookie


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app; `config` overrides settings read from the environment (used by tests)."""
    settings = load_settings(config)
    app = templating.PortalFlask(__name__, static_folder=None, instance_path=str(ROOT / "instance"))
    app.session_interface = SessionCookie()
    app.config.update(settings.flask_config())
    app.config["BABEL_DEFAULT_TIMEZONE"] = "Europe/London"

    logs.init_app(app, settings.log_level)
    request_guard.init_app(app)
    templating.init_app(app)
    page_skeletons.init_app(app)
    db.init_app(app, settings.database_url)
    csrf.init_app(app)
    babel.init_app(
        app, locale_selector=i18n.select_language, default_translation_directories=str(ROOT / "translations")
    )
    i18n.init_app(app)
    templating.init_page_gettext(app)
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

    if settings.trusted_proxy_hops:
        # The client's address (rate limits, the audit trail) from the proxy's X-Forwarded-For, hop by hop.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.trusted_proxy_hops)  # type: ignore[method-assign]
    app.wsgi_app = WhiteNoise(  # type: ignore[method-assign]
        app.wsgi_app,
        root=str(assets.DIST),
        prefix="assets/",
        max_age=365 * 24 * 3600,
        immutable_file_test=lambda _path, _url: True,
        add_headers_function=security.static_header_adder(settings.env == "production"),
    )
    return app


def _init_compression(app: Flask) -> None:
    """Brotli or gzip for pages: people refer from phones on small data plans (assets come precompressed)."""
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    # Quality 3: less than half of quality 5's CPU for 18 % more bytes (a question page 2.6 kB, not 2.2 kB), far under
    # the page-weight target. A 64 kB window: every page fits, where the default 4 MB is set up for each response.
    app.config.setdefault("COMPRESS_BR_LEVEL", 3)
    app.config.setdefault("COMPRESS_BR_WINDOW", 16)
    app.config.setdefault("COMPRESS_MIMETYPES", ["text/html", "application/json"])
    Compress(app)
