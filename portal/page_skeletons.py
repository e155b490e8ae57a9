"""A question page as it is for everyone: rendered once per worker, with holes for what is not.

Before anyone answers it, a question page differs from one person to the next only in its CSRF
token, its CSP nonce and what has been typed into its text boxes. So it is rendered once for
each language, reading mode, audience, address and back link, with a marker in each of those
places, and split at the markers; later requests join the pieces with their own values, escaped
exactly as the template escapes them. That is a tenth of the CPU of rendering the page.

A page is rendered in full whenever anything else on it could be about a person (a radio or
checkbox already chosen, a date, an error) or depends on the address's query, so the skeletons
hold nothing about anyone: the skeleton is rendered from the cache key alone, never from the
request's draft. tests/test_page_skeletons.py shows every page is, byte for byte, the page a
full render gives.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from flask import Flask, current_app, render_template, request
from flask_wtf.csrf import generate_csrf
from markupsafe import escape
from wtforms import Form
from wtforms.form import BaseForm

from forms import widgets
from portal import i18n
from portal.security import csp_nonce
from portal.services import reading_mode

# Private-use characters: in none of our words, and unchanged by HTML escaping.
_OPEN, _CLOSE = "\ue000", "\ue001"
_MARKER = re.compile(f"{_OPEN}([^{_CLOSE}]*){_CLOSE}")
CSRF, NONCE = "csrf", "nonce"
KEPT = 2000
_UNUSABLE = "unusable"


def init_app(app: Flask) -> None:
    """On unless debugging (`flask run --debug` shows an edited template at once); tests compare both ways."""
    app.config.setdefault("PAGE_SKELETONS", not app.debug)


def marker(name: str) -> str:
    return f"{_OPEN}{name}{_CLOSE}"


@dataclass(frozen=True)
class Skeleton:
    """The page split at its holes (text, hole name, text, ..., text), and what its boxes show when blank."""

    pieces: tuple[str, ...]
    fields: frozenset[str]
    boxes: frozenset[str]
    blank_boxes: tuple[tuple[str, str], ...]

    def fill(self, values: Mapping[str, str]) -> str:
        pieces = list(self.pieces)
        pieces[1::2] = [values[name] for name in self.pieces[1::2]]
        return "".join(pieces)


def _text_boxes(form: Form) -> list[Any]:
    return [field for field in form if isinstance(field.widget, widgets.Input | widgets.Textarea)]


def _is_blank(form: Form) -> bool:
    """No question on the page shows an answer except in a text box (whose answer goes in a hole)."""
    boxes = {field.name for field in _text_boxes(form)}
    return not form.errors and all(
        field.name in boxes or field.type == "CSRFTokenField" or (not field.data and not field.raw_data)
        for field in form
    )


def render_question(
    template: str,
    form_class: type[Form],
    answers: Mapping[str, Any],
    *,
    form: Form | None = None,
    step: Any,
    audience: str,
    back_url: str,
    channel: str | None,
    **context: Any,
) -> str:
    """`render_template(template, form=form_class(data=answers), ...)`, from the page's skeleton when it can be.

    `form` is the form already built and checked (a POST that failed its checks); a page
    nobody has answered is served without building one. `channel` is the draft's channel
    (None before the first page is saved): the layout shows the team a keyed-in notice.
    `context` goes only to a full render.
    """
    skeleton = None
    if request.method == "GET" and not request.query_string and current_app.config["PAGE_SKELETONS"]:
        skeleton = _skeleton(template, form_class, step, audience, back_url, channel)
    if skeleton is not None:
        answered = skeleton.fields.intersection(answers)
        if not answered:
            return _filled(skeleton, dict(skeleton.blank_boxes))
        if answered <= skeleton.boxes:
            boxes = BaseForm([(name, getattr(form_class, name)) for name in skeleton.boxes])
            boxes.process(data=answers)  # WTForms' own fields for the text boxes alone: no labels, no token
            return _filled(skeleton, _shown(boxes))
    form = form or form_class(data=answers)
    if skeleton is not None and _is_blank(form):
        return _filled(skeleton, _shown(_text_boxes(form)))
    return render_template(template, form=form, step=step, back_url=back_url, **context)


def _shown(boxes: Iterable[Any]) -> dict[str, str]:
    """What each text box shows, escaped as the template escapes it."""
    return {field.name: str(escape(field.widget.value_of(field))) for field in boxes}


def _filled(skeleton: Skeleton, boxes: Mapping[str, str]) -> str:
    """The page with this request's CSRF token, CSP nonce and text boxes in its holes."""
    return skeleton.fill({CSRF: str(escape(generate_csrf())), NONCE: str(escape(csp_nonce())), **boxes})


def _skeleton(
    template: str, form_class: type[Form], step: Any, audience: str, back_url: str, channel: str | None
) -> Skeleton | None:
    """This worker's skeleton of the page, made on first use; None if the page cannot have one."""
    skeletons: dict[tuple, Skeleton | str] = current_app.extensions.setdefault("page_skeletons", {})
    key = (template, step.slug, audience, request.path, back_url, channel, _page_values())
    found = skeletons.get(key)
    if found is None:
        draft = SimpleNamespace(channel=channel) if channel else None
        found = _build(template, form_class, step, audience, back_url, draft)
        if len(skeletons) >= KEPT:
            skeletons.clear()
        skeletons[key] = found
    return found if isinstance(found, Skeleton) else None


def _page_values() -> tuple:
    """What the language and reading-mode hooks give every public page, as part of the key."""
    return (i18n.current(), reading_mode.current(), reading_mode.has_chosen())


def _build(
    template: str, form_class: type[Form], step: Any, audience: str, back_url: str, draft: Any
) -> Skeleton | str:
    """The page rendered from the key alone, with markers; `_UNUSABLE` if any marker is not where expected."""
    blank = form_class(formdata=None, data={})
    boxes = _text_boxes(blank)
    blank_boxes = tuple(_shown(boxes).items())
    for field in boxes:
        field.data, field.raw_data = marker(field.name), None
    real = (generate_csrf(), csp_nonce())
    page = render_template(
        template,
        form=blank,
        step=step,
        back_url=back_url,
        draft=draft,
        journey=SimpleNamespace(audience=audience),
        csrf_token=lambda: marker(CSRF),
        csp_nonce=lambda: marker(NONCE),
    )
    pieces = tuple(_MARKER.split(page))
    holes = pieces[1::2]
    expected = all(holes.count(field.name) == 1 for field in boxes) and CSRF in holes and NONCE in holes
    if not expected or set(holes) - {CSRF, NONCE, *(f.name for f in boxes)} or any(v in page for v in real):
        return _UNUSABLE
    if any(_OPEN in piece or _CLOSE in piece for piece in pieces[::2]):
        return _UNUSABLE
    fields = frozenset(field.name for field in blank if field.type != "CSRFTokenField")
    return Skeleton(pieces, fields, frozenset(field.name for field in boxes), blank_boxes)
