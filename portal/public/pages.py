"""The start page, information pages, keeping answers alive, and the health check."""

from __future__ import annotations

from flask import jsonify, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from portal import db
from portal.public import bp
from portal.public.referral import DRAFT_KEY
from portal.request_guard import is_own_page
from portal.services import drafts, health, leaflet

INFORMATION_PAGES = {
    "privacy": "public/privacy.html",
    "accessibility": "public/accessibility.html",
    "help": "public/help.html",
}


@bp.get("/")
def start() -> str:
    return render_template("public/start.html", expired=request.args.get("expired") == "1")


@bp.get("/what-is-the-dsr.pdf")
def leaflet_pdf() -> Response:
    """The easy-read leaflet to print or post, made once per language (`services.leaflet`), opened in the browser."""
    response = Response(leaflet.leaflet_pdf(), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{leaflet.FILENAME}"'
    return response


@bp.get("/referral")
def begin() -> Response:
    return redirect(url_for(".question", slug="who"))


@bp.get("/<any(privacy, accessibility, help):page>")
def information(page: str) -> str:
    return render_template(INFORMATION_PAGES[page])


@bp.post("/session/extend")
def extend_session() -> Response:
    """The timeout warning's "keep my answers": works as a fetch (JSON) or a plain form post."""
    draft = drafts.find_draft(session.get(DRAFT_KEY))
    if draft is not None:
        with db.unit_of_work():
            drafts.extend(draft)
    if request.accept_mimetypes.best == "application/json":
        return jsonify(kept=draft is not None)
    back = request.form.get("back", "")
    return redirect(back if is_own_page(back, "/referral/") else url_for(".start"))


@bp.get("/health")
def health_check() -> tuple[Response, int]:
    report = health.report()
    return jsonify(report), 200 if report["database"] == "ok" else 503
