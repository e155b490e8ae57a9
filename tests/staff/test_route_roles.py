"""Every staff route checks its role: a new route without a check fails here."""

from __future__ import annotations

import pytest

from tests.conftest import make_app


def _staff_views():
    app = make_app("sqlite://")
    return [
        (rule.rule, app.view_functions[rule.endpoint])
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("staff.")
    ]


@pytest.mark.parametrize(("rule", "view"), _staff_views(), ids=lambda value: str(value))
def test_every_staff_route_declares_its_role(rule, view):
    assert hasattr(view, "required_role"), f"{rule} has neither staff_required(...) nor public_staff_page"


def test_staff_routes_exist():
    assert len(_staff_views()) >= 2
