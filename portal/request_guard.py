"""A NUL never reaches a view; redirect targets are checked.

PostgreSQL text cannot hold NUL (psycopg raises DataError), so a NUL that reached a
lookup was a server error on PostgreSQL and stored as sent on SQLite. In a form's
values it is dropped, as the text boxes always did, so nothing else typed is lost
(pasted text can carry one); in a query string or a field's name, where nobody
types, the person gets the kind "problem with that request" page.
"""

from __future__ import annotations

from flask import Flask, abort, request
from werkzeug.datastructures import ImmutableMultiDict, MultiDict

NUL = "\x00"
# The bodies Werkzeug parses into `request.form`.
FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})


def init_app(app: Flask) -> None:
    app.before_request(refuse_nul)


def _holds_nul(values: MultiDict[str, str]) -> bool:
    return any(NUL in name or NUL in value for name, value in values.items(multi=True))


def refuse_nul() -> None:
    """A 400 for a NUL in the query string or a form field's name; a NUL in a form's value is dropped."""
    if not request.query_string and request.mimetype not in FORM_TYPES:
        return  # nothing Werkzeug would parse into values: most page views
    form = request.form
    if _holds_nul(request.args) or any(NUL in name for name in form):
        abort(400)
    if any(NUL in value for value in form.values()):
        request.form = ImmutableMultiDict(  # type: ignore[misc]
            [(name, value.replace(NUL, "")) for name, value in form.items(multi=True)]
        )


def is_own_page(target: str, prefix: str) -> bool:
    """Whether a redirect target from a request is one of our pages under `prefix`, safe in a Location header.

    Any control character is refused: Werkzeug will not put CR or LF in a header (a server error, after
    the view's work was saved), and a browser drops tabs and line breaks from a URL, so `/\\t/evil.example`
    would become another site. `isprintable` also refuses Unicode line and paragraph separators.
    """
    return target.startswith(prefix) and target.isprintable() and "//" not in target and "\\" not in target
