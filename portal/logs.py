"""Logging without personal data: one line per request naming the route, never the values.

Every field is encoded so a CR or LF typed by someone cannot forge a log line.
"""

from __future__ import annotations

import logging
import time

from flask import Flask, Response, g, request


class _OneLine(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        return text.replace("\\", "\\\\").replace("\r", "\\r").replace("\n", "\\n")


def init_app(app: Flask, level: str) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(_OneLine("%(asctime)s %(levelname)s %(name)s %(message)s"))
    root = logging.getLogger("portal")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = True
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
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
