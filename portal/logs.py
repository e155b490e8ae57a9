"""Logging without personal data: one line per request naming the route, never the values.

Every field is encoded so a CR or LF typed by someone cannot forge a log line.
"""

from __future__ import annotations

import logging
import time

from flask import Flask, Response, g, request


def _escapes() -> dict[int, str]:
    """Every character that can end a line or fool a terminal or log viewer, written out visibly instead.

    Control characters (CR, LF, NEL, escape...), Unicode line and paragraph
    separators, and bidi overrides that could make a line read differently.
    """
    table = {code: f"\\x{code:02x}" for code in [*range(0x20), *range(0x7F, 0xA0)]}
    table.update({code: f"\\u{code:04x}" for code in [0x200E, 0x200F, *range(0x2028, 0x202F), *range(0x2066, 0x206A)]})
    table.update({ord("\\"): "\\\\", ord("\r"): "\\r", ord("\n"): "\\n", ord("\t"): "\\t"})
    return table


ESCAPES = _escapes()


class OneLineFormatter(logging.Formatter):
    """Each record on exactly one line, whatever its message, arguments or traceback hold."""

    def format(self, record: logging.LogRecord) -> str:
        return super().format(record).translate(ESCAPES)


def init_app(app: Flask, level: str) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(OneLineFormatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    root = logging.getLogger("portal")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = True
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    # Flask-Limiter's "limit exceeded" line (INFO) names the client's IP address: personal data.
    logging.getLogger("flask-limiter").setLevel(logging.WARNING)
    access = logging.getLogger("portal.access")

    @app.before_request
    def _start_timer() -> None:
        g.request_started = time.perf_counter()

    @app.after_request
    def _log_request(response: Response) -> Response:
        rule = request.url_rule.rule if request.url_rule else "-"
        elapsed = (time.perf_counter() - g.get("request_started", time.perf_counter())) * 1000
        access.info("%s %s %s %.1fms", request.method, rule, response.status_code, elapsed)
        return response
