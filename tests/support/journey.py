"""A whole referral, as form posts, for tests that need to get somewhere in the journey."""

from __future__ import annotations

from datetime import date
from typing import Any

ADULT_BIRTHDAY = {"date_of_birth-day": "29", "date_of_birth-month": "2", "date_of_birth-year": "2000"}
CHILD_BIRTHDAY = {
    "date_of_birth-day": "3",
    "date_of_birth-month": "7",
    "date_of_birth-year": str(date.today().year - 10),
}

PAGES: dict[str, dict[str, Any]] = {
    "who": {"who": "self"},
    "name": {"full_name": "Siân O'Neil-Jones", "preferred_name": "Siân"},
    "date-of-birth": ADULT_BIRTHDAY,
    "nhs-number": {"nhs_number": "943 476 5919"},
    "address": {"address_line_1": "1 High Street", "address_line_2": "", "town": "Norwich", "postcode": "nr1 3sr"},
    "gp": {"gp_practice": "Riverside Medical Centre"},
    "contact-details": {"phone": "0161 496 0000", "email": "sian@example.com"},
    "safe-contact": {"safe_contact": ["phone_call", "letter"], "contact_times": "Mornings", "contact_notes": ""},
    "diagnosis": {"diagnosis": "autism"},
    "communication": {"formats": ["easy_read"], "interpreter": "no", "interpreter_language": "", "adjustments": ""},
    "whats-happening": {"risks": ["home_breakdown"], "situation": "My placement is at risk."},
    "hospital": {"in_hospital": "no", "hospital_name": ""},
    "support": {"support": "A support worker twice a week."},
    "professionals": {"more_professionals": "no"},
    "referrer": {
        "referrer_name": "Alex Smith",
        "referrer_relationship": "Mum",
        "referrer_organisation": "",
        "referrer_phone": "0161 496 0001",
        "referrer_email": "",
    },
    "consent-self": {"consent_self": "yes"},
    "consent-parental": {"consent_parental": "yes"},
    "consent-adult-behalf": {"consent_adult_behalf": "yes"},
    "consent-child-other": {"consent_child_other": "yes"},
}


def walk_to_check(client: Any, **changes: dict[str, Any]) -> Any:
    """Answer every page the journey asks for, following its redirects; returns the check page.

    `changes` replaces a page's answers, keyed by slug with dashes as underscores.
    """
    pages = {**PAGES, **{slug.replace("_", "-"): answers for slug, answers in changes.items()}}
    url = "/referral/who"
    for _ in range(40):
        slug = url.removeprefix("/referral/").split("?")[0]
        if slug == "check":
            return client.get("/referral/check")
        page = client.post(url, pages[slug])
        assert page.status == 302, f"{slug}: {page.error_summary}"
        url = page.response.location
    raise AssertionError("journey did not reach check your answers")


def submit(client: Any) -> Any:
    """From check your answers: send, and return the confirmation page."""
    check = client.get("/referral/check")
    submission_id = check.soup.select_one("input[name=submission_id]")["value"]
    sent = client.post("/referral/check", {"submission_id": submission_id}, expect=302)
    assert sent.response.location.endswith("/referral/confirmation")
    return client.get("/referral/confirmation")
