"""The downloads and admin pages in Chromium: they pass axe, and a download arrives as a file."""

from __future__ import annotations

from pathlib import Path

import pytest

from portal import db
from portal.cli.seed import seed_referrals
from portal.services import staff_accounts, staff_sessions
from tests.browser.conftest import assert_accessible, assert_well_behaved


def signed_in(live_server, context, email: str, role: str) -> None:
    """A staff member who has passed MFA, their session cookie put in the browser."""
    app = live_server.app
    with app.app_context(), db.unit_of_work():
        user = staff_accounts.create_staff(email, role, "correct horse battery staple")
        db.session().flush()
        token = staff_sessions.start_session(user, mfa_passed=True)
    context.add_cookies([{"name": "staff", "value": token, "url": live_server.url}])


@pytest.mark.parametrize(
    ("path", "heading"),
    [("/staff/downloads", "Downloads"), ("/staff/admin", "Admin"), ("/staff/admin/audit", "Audit log")],
)
def test_downloads_and_admin_pages_pass_axe(live_server, context, page, path, heading):
    signed_in(live_server, context, "admin@example.nhs.uk", "admin")
    with live_server.app.app_context():
        seed_referrals(3)
    page.goto(path)
    assert page.locator("h1").inner_text() == heading
    assert_accessible(page, heading)


def test_an_error_on_the_downloads_page_passes_axe(live_server, context, page):
    signed_in(live_server, context, "triage@example.nhs.uk", "triage")
    page.goto("/staff/downloads")
    page.get_by_label("CSV (opens in any spreadsheet)").check()
    page.get_by_role("button", name="Download").click()
    assert page.locator(".nhsuk-error-summary").inner_text().count("Enter a date range, or paste references") == 1
    assert_accessible(page, "Downloads with an error")


def test_a_csv_download_arrives_as_a_file_with_a_server_made_name(live_server, context, page):
    signed_in(live_server, context, "triage@example.nhs.uk", "triage")
    with live_server.app.app_context():
        seed_referrals(5)
    page.goto("/staff/downloads")
    page.get_by_label("Year").first.fill("2000")
    page.get_by_label("Month").first.fill("1")
    page.get_by_label("Day").first.fill("1")
    page.get_by_label("CSV (opens in any spreadsheet)").check()
    with page.expect_download() as downloading:
        page.get_by_role("button", name="Download").click()
    download = downloading.value
    assert download.suggested_filename.startswith("dsr-referrals-") and download.suggested_filename.endswith(".csv")
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    assert text.rstrip().endswith("END OF EXPORT,5 referrals")
    assert_well_behaved(page)
