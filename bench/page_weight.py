"""Page weight: compressed bytes over the wire for a first visit and for each later page.

A first visit is the start page's HTML and every stylesheet, script, icon and
picture it (or its CSS) asks for. Later pages are HTML only: assets have
content-hashed names and `Cache-Control: immutable`, so a browser already has them.
In easy read a later page also counts the pictures it shows that no earlier page
of the visit did (each picture is downloaded once, then cached).
"""

from __future__ import annotations

import re
from typing import Any

from bench.table import Row, Target
from bench.visitor import Fetched, Visitor, walk_referral
from tests.support.journey import CHILD_BIRTHDAY

SECTION = "Page weight (plain English)"
EASY_READ_SECTION = "Page weight (easy read)"
FIRST_VISIT = Target("<=", 30_000, "B")
LATER_PAGE = Target("<=", 6_000, "B")
EASY_READ_FIRST_VISIT = Target("<=", 60_000, "B")
EASY_READ_LATER_PAGE = Target("<=", 20_000, "B")
CSS_URL = re.compile(r"url\(['\"]?(/[^'\")]+)['\"]?\)")  # pictures and fonts a stylesheet asks for
INFORMATION_PAGES = ("/privacy", "/accessibility", "/help")
# Who fills in the form changes which pages appear: a parent for a child sees
# "About you" and parental consent instead of consent for yourself.
JOURNEYS: dict[str, dict[str, Any]] = {
    "self": {},
    "parent": {"who": {"who": "parent"}, "date-of-birth": CHILD_BIRTHDAY},
}
HOW = "brotli body bytes (Accept-Encoding: br, gzip) over HTTP/1.1 from gunicorn"


def first_visit(base_url: str, start: str = "/", section: str = SECTION) -> tuple[Row, list[Row]]:
    """The start page with an empty cache: a total row and one row per file."""
    visitor = Visitor(base_url)
    try:
        page = visitor.get(start)
        files = [page] + [visitor.get(path) for path in page.assets()]
    finally:
        visitor.close()
    failed = [f"{f.path} {f.status}" for f in files if f.status != 200]
    if failed:
        raise RuntimeError(f"the start page loads files that fail: {failed}")
    # A browser fetches a stylesheet's pictures only for elements on the page.
    css_pictures = sorted({url for f in files if f.path.endswith(".css") for url in CSS_URL.findall(f.text)})
    total = sum(f.body_bytes for f in files)
    headers = sum(f.header_bytes for f in files)
    names = ", ".join(_short(f.path) for f in files)
    not_counted = f"; not counted: {', '.join(css_pictures)} (CSS for elements no page has)" if css_pictures else ""
    row = Row(
        section,
        "First visit: start page + assets",
        total,
        "B",
        f"{start}: {len(files)} responses ({names}), both icons counted though a browser takes one; {HOW}; "
        f"+{headers / 1000:.1f} kB of response headers not counted{not_counted}",
        FIRST_VISIT if section == SECTION else EASY_READ_FIRST_VISIT,
    )
    details = [
        Row(section, f"  of which {_short(f.path)}", f.body_bytes, "B", f.headers.get("content-encoding", "identity"))
        for f in files
    ]
    return row, details


def _short(path: str) -> str:
    return path if not path.startswith("/assets/") else path.removeprefix("/assets/")


def later_pages(base_url: str) -> list[Row]:
    """Every page of the journey a person sees after the start page, as HTML with a warm cache."""
    seen: dict[str, Fetched] = {}
    for answers in JOURNEYS.values():
        visitor = Visitor(base_url, keep_history=True)
        try:
            walk_referral(visitor, answers)
        finally:
            visitor.close()
        for fetched in visitor.history:
            wanted = fetched.method == "GET" and fetched.status == 200 and fetched.path != "/"
            if wanted and (fetched.path not in seen or fetched.body_bytes > seen[fetched.path].body_bytes):
                seen[fetched.path] = fetched
    seen.update(_error_page(base_url))
    visitor = Visitor(base_url)
    try:
        for path in INFORMATION_PAGES:
            seen[path] = visitor.get(path)
    finally:
        visitor.close()
    return [
        Row(
            SECTION,
            f"Later page: {path}",
            fetched.body_bytes,
            "B",
            f"HTML only, warm cache; {HOW}; largest over the self and parent journeys",
            LATER_PAGE,
        )
        for path, fetched in seen.items()
    ]


def _error_page(base_url: str) -> dict[str, Fetched]:
    """A question page sent back with an error: what a person sees after a mistake."""
    visitor = Visitor(base_url)
    try:
        token = visitor.get("/referral/who").inputs()["csrf_token"]
        page = visitor.post("/referral/who", {"csrf_token": token})
    finally:
        visitor.close()
    if page.status != 200 or "nhsuk-error-summary" not in page.text:
        raise RuntimeError(f"an empty answer to 'who' did not show an error (status {page.status})")
    return {"/referral/who (with an error)": page}


def easy_read_later_pages(base_url: str) -> list[Row]:
    """Every later page of the journey in easy read: its HTML plus the pictures no earlier page showed."""
    weights: dict[str, int] = {}
    for answers in JOURNEYS.values():
        visitor = Visitor(base_url, keep_history=True)
        try:
            cached = set(visitor.get("/?mode=easy").assets())
            walk_referral(visitor, answers)
            for path in INFORMATION_PAGES:
                visitor.get(path)
        finally:
            visitor.close()
        for fetched in visitor.history[1:]:
            if fetched.method != "GET" or fetched.status != 200 or fetched.path == "/":
                continue
            new = [asset for asset in fetched.assets() if asset not in cached]
            cached.update(new)
            weight = fetched.body_bytes + sum(_asset_bytes(base_url, asset) for asset in new)
            weights[fetched.path] = max(weight, weights.get(fetched.path, 0))
    how = f"HTML + pictures not shown on an earlier page (warm cache); {HOW}; largest over the self and parent journeys"
    return [
        Row(EASY_READ_SECTION, f"Later page: {path}", weight, "B", how, EASY_READ_LATER_PAGE)
        for path, weight in weights.items()
    ]


def _asset_bytes(base_url: str, path: str) -> int:
    visitor = Visitor(base_url)
    try:
        fetched = visitor.get(path)
    finally:
        visitor.close()
    if fetched.status != 200:
        raise RuntimeError(f"{path}: {fetched.status}")
    return fetched.body_bytes


def _largest(section: str, later: list[Row], target: Target) -> Row:
    largest = max(later, key=lambda r: r.figure or 0)
    return Row(
        section,
        "Largest later page",
        largest.figure,
        "B",
        f"{largest.what.removeprefix('Later page: ')}; {HOW}",
        target,
    )


def measure(base_url: str) -> list[Row]:
    """Every page-weight row, first visit first."""
    total, details = first_visit(base_url)
    later = later_pages(base_url)
    easy_total, easy_details = first_visit(base_url, "/?mode=easy", EASY_READ_SECTION)
    easy_later = easy_read_later_pages(base_url)
    return [
        *(total, *details, _largest(SECTION, later, LATER_PAGE), *later),
        *(easy_total, *easy_details, _largest(EASY_READ_SECTION, easy_later, EASY_READ_LATER_PAGE), *easy_later),
    ]
