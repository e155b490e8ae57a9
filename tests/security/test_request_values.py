"""Request values nobody types: a NUL, a line break in a redirect target, a query name a page does not use.

Each used to be a server error: PostgreSQL cannot hold a NUL, Werkzeug will not
put a line break in a Location header, and a query name passed on to `url_for`
could collide with its own arguments.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest
from flask import Flask
from sqlalchemy import func, select

from portal import db
from portal.models import RecoveryCode, Referral
from portal.services import mfa, staff_accounts
from tests.conftest import Page, PageClient
from tests.security.support import post_raw, table_rows
from tests.staff.test_record import refer
from tests.staff.test_signin_support import EMAIL, account, code_now, give_password, make_account, staff_cookie
from tests.support.journey import walk_to_check
from tests.support.staff import sign_in_as

KIND_400 = "Sorry, there is a problem with that request"
# Targets that are our own pages but for a character no Location header or browser should be given.
CONTROLLED_TARGETS = ("queue\r\nSet-Cookie: injected=1", "queue\n", "queue\r", "\tqueue", "queue\x7f", "queue\x85")


def _without_sessions(rows: dict[str, list[tuple[Any, ...]]]) -> dict[str, list[tuple[Any, ...]]]:
    """Every table but staff sessions: any page a signed-in member sees, the 400 page too, notes they were active."""
    return {table: found for table, found in rows.items() if table != "staff_sessions"}


def _refused(page: Page) -> None:
    assert page.status == 400, f"status {page.status}"
    assert page.h1 == KIND_400


# -- a NUL ------------------------------------------------------------------------


def test_a_nul_in_the_staff_sign_in_email_is_dropped_and_signing_in_goes_on(db_app: Flask) -> None:
    """A NUL in a form's value is dropped (pasted text can carry one), so the lookup never sees it."""
    make_account(db_app)
    client = PageClient(db_app.test_client())
    page = give_password(client, email=f"{EMAIL}\x00")
    assert page.status == 302 and page.response.location.startswith("/staff/sign-in/code")


def test_a_nul_in_the_submission_id_is_dropped_and_the_referral_sent_once(db_app: Flask) -> None:
    client = PageClient(db_app.test_client())
    submission_id = walk_to_check(client).soup.select_one("input[name=submission_id]")["value"]
    with_nul = submission_id[:5] + "\x00" + submission_id[5:]
    assert post_raw(client, "/referral/check", {"submission_id": with_nul}).status == 302
    assert post_raw(client, "/referral/check", {"submission_id": submission_id}).status == 302, "the same one again"
    with db_app.app_context():
        assert db.session().scalar(select(func.count()).select_from(Referral)) == 1


@pytest.mark.parametrize("url", ["/staff/admin/audit?action=%00", "/staff/admin/audit.csv?action=%00"])
def test_a_nul_in_the_audit_filter_gets_the_kind_400_page_and_records_nothing(db_app: Flask, url: str) -> None:
    client = PageClient(db_app.test_client())
    sign_in_as(db_app, client, "admin@example.nhs.uk", "admin")
    before = _without_sessions(table_rows(db_app))
    _refused(client.get(url, expect=400))
    assert _without_sessions(table_rows(db_app)) == before


@pytest.mark.parametrize("query", ["lang=%00", "%00=1", "lang=cy&lang=%00"])
def test_a_nul_anywhere_in_a_query_string_is_refused(client: PageClient, query: str) -> None:
    _refused(client.get(f"/referral/who?{query}", expect=400))


def test_a_nul_in_a_form_field_name_is_refused(client: PageClient) -> None:
    _refused(post_raw(client, "/referral/who", {"who": "self", "x\x00": "1"}))


# -- a control character in a redirect target -------------------------------------


@pytest.mark.parametrize("tail", CONTROLLED_TARGETS)
def test_a_control_character_in_next_goes_to_the_staff_home_page_for_someone_signed_in(
    app: Flask, client: PageClient, tail: str
) -> None:
    sign_in_as(app, client)
    page = client.get(f"/staff/sign-in?next={quote('/staff/' + tail)}", expect=302)
    assert page.response.location == "/staff/"


@pytest.mark.parametrize("tail", CONTROLLED_TARGETS)
def test_a_control_character_in_next_still_signs_in_with_a_code(app: Flask, client: PageClient, tail: str) -> None:
    secret = make_account(app)
    give_password(client)
    page = client.post(f"/staff/sign-in/code?next={quote('/staff/' + tail)}", {"code": code_now(secret)}, expect=302)
    assert page.response.location == "/staff/"
    assert staff_cookie(client) is not None
    client.get("/staff/queue")


@pytest.mark.parametrize("tail", CONTROLLED_TARGETS)
def test_a_control_character_in_next_signs_in_with_the_recovery_code_it_used_up(
    app: Flask, client: PageClient, tail: str
) -> None:
    make_account(app)
    with app.app_context(), db.unit_of_work():
        code = mfa.replace_recovery_codes(staff_accounts.find_by_email(EMAIL))[0]
    give_password(client)
    url = f"/staff/sign-in/recovery-code?next={quote('/staff/' + tail)}"
    page = client.post(url, {"code": code}, expect=302)
    assert page.response.location == "/staff/"
    client.get("/staff/queue")
    with app.app_context():
        used = db.session().scalars(select(RecoveryCode.used_at).where(RecoveryCode.user_id == account(app).id))
        assert sum(moment is not None for moment in used) == 1


def test_next_still_returns_to_a_staff_page_and_never_to_another_site(app: Flask, client: PageClient) -> None:
    sign_in_as(app, client)
    assert client.get("/staff/sign-in?next=/staff/queue", expect=302).response.location == "/staff/queue"
    for target in ("//evil.example/staff/", "/staff/\\\\evil.example", "https://evil.example/staff/"):
        assert client.get(f"/staff/sign-in?next={quote(target)}", expect=302).response.location == "/staff/"


@pytest.mark.parametrize("tail", [t.replace("queue", "name") for t in CONTROLLED_TARGETS])
def test_a_control_character_in_back_goes_to_the_start_page(client: PageClient, tail: str) -> None:
    walk_to_check(client)
    kept = post_raw(client, "/session/extend", {"back": "/referral/" + tail})
    assert (kept.status, kept.response.location) == (302, "/")
    assert client.post("/session/extend", {"back": "/referral/name"}, expect=302).response.location == "/referral/name"


# -- a query name the page does not use -------------------------------------------


def test_a_loosely_typed_reference_keeps_only_the_query_values_the_record_page_uses(app: Flask) -> None:
    reference = refer(app)
    client = PageClient(app.test_client())
    sign_in_as(app, client)
    typed = reference.lower()
    page = client.get(f"/staff/intake/{typed}?reference=x&claimed=yes&_anchor=y&next=//evil.example", expect=302)
    assert page.response.location == f"/staff/intake/{reference}?claimed=yes"
    page = client.get(f"/staff/intake/{typed}?reference=x", expect=302)
    assert page.response.location == f"/staff/intake/{reference}"
