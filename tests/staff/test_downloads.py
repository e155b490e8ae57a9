"""Downloads: one referral as PDF or FHIR, selections as CSV/Excel/FHIR; headers and an audit row for each."""

from __future__ import annotations

import io
import json

import pytest
from fhir.resources.R4B.bundle import Bundle
from pypdf import PdfReader
from sqlalchemy import select

from portal import db
from portal.cli.seed import seed_referrals
from portal.models import AuditEvent, Referral
from tests.support.journey import submit, walk_to_check
from tests.support.staff import sign_in_as

COMMUNICATION = {"formats": ["bsl"], "interpreter": "yes", "interpreter_language": "Tigrinya", "adjustments": ""}


def refer(client, **changes) -> str:
    walk_to_check(client, **changes)
    return submit(client).text_of(".app-reference")


def audit_rows(app, action: str) -> list[AuditEvent]:
    with app.app_context():
        return list(db.session().scalars(select(AuditEvent).where(AuditEvent.action == action)))


def post_export(client, fmt: str, **fields):
    page = client.get("/staff/downloads")
    token = page.soup.select_one("input[name=csrf_token]")["value"]
    return client.client.post("/staff/export", data={"csrf_token": token, "format": fmt, **fields})


def assert_download_headers(response, extension: str) -> None:
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="dsr-')
    assert disposition.endswith(f'.{extension}"')
    assert "Siân" not in disposition and "O'Neil" not in disposition
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_the_downloads_page_offers_dates_references_and_formats(app, client):
    sign_in_as(app, client)
    page = client.get("/staff/downloads")
    assert page.h1 == "Downloads"
    assert {i["value"] for i in page.select("input[name=format]")} == {"csv", "xlsx", "fhir"}
    assert page.select("textarea[name=references]")
    assert page.select("input[name=received_from-day]") and page.select("input[name=received_to-year]")


def test_asking_for_nothing_says_what_to_enter(app, client):
    sign_in_as(app, client)
    client.get("/staff/downloads")
    page = client.post("/staff/export", {"format": "csv"}, expect=200)
    assert page.error_summary == ["Enter a date range, or paste references"]


def test_references_that_match_nothing_are_reported_not_downloaded(app, client):
    sign_in_as(app, client)
    client.get("/staff/downloads")
    page = client.post("/staff/export", {"format": "csv", "references": "DSR-AAAA-BBBB"})
    assert page.response.mimetype == "text/html"
    assert page.error_summary == ["No referrals match: check the references or the dates"]
    assert audit_rows(app, "export_csv") == []


def test_the_pdf_holds_the_reference_communication_needs_first_and_every_answer(app, client):
    reference = refer(client, communication=COMMUNICATION)
    sign_in_as(app, client)
    response = client.client.get(f"/staff/intake/{reference}/pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert_download_headers(response, "pdf")
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.get_data())).pages)
    assert reference in text
    for answer in ("Siân O'Neil-Jones", "NR1 3SR", "My placement is at risk.", "Tigrinya", "British Sign Language"):
        assert answer in text, answer
    assert text.index("Communication needs") < text.index("Siân O'Neil-Jones")
    assert "Consent history" in text and "person" in text
    [row] = audit_rows(app, "download_pdf")
    assert row.record_refs == reference and row.record_count == 1 and row.actor == "triage@example.nhs.uk"


def test_the_pdf_escapes_what_a_person_typed(app, client):
    reference = refer(client, support={"support": "<b>bold</b> & <i>more</i>"})
    sign_in_as(app, client)
    response = client.client.get(f"/staff/intake/{reference}/pdf")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.get_data())).pages)
    assert "<b>" not in text  # cleaned on the way in, and escaped on the way out


def test_an_unknown_reference_is_not_found(app, client):
    sign_in_as(app, client)
    assert client.client.get("/staff/intake/DSR-AAAA-BBBB/pdf").status_code == 404
    assert client.client.get("/staff/intake/DSR-AAAA-BBBB/fhir").status_code == 404


def test_one_referral_as_a_fhir_bundle_validates_with_the_nhs_number(app, client):
    reference = refer(client)
    sign_in_as(app, client)
    response = client.client.get(f"/staff/intake/{reference}/fhir")
    assert response.status_code == 200
    assert response.mimetype == "application/fhir+json"
    assert_download_headers(response, "json")
    bundle = Bundle.model_validate(json.loads(response.get_data()))
    kinds = [entry.resource.get_resource_type() for entry in bundle.entry]
    assert kinds == ["Patient", "QuestionnaireResponse", "Consent"]
    patient = bundle.entry[0].resource
    assert patient.identifier[0].system == "https://fhir.nhs.uk/Id/nhs-number"
    assert patient.identifier[0].value == "9434765919"
    assert str(patient.birthDate) == "2000-02-29"
    assert bundle.entry[1].resource.identifier.value == reference
    assert bundle.entry[2].resource.status == "active"
    assert len(audit_rows(app, "download_fhir")) == 1


def test_a_selection_as_fhir_holds_three_resources_per_referral(app, client):
    with app.app_context():
        seed_referrals(4)
        references = list(db.session().scalars(select(Referral.reference)))
    sign_in_as(app, client)
    response = post_export(client, "fhir", references=" ".join(references))
    bundle = Bundle.model_validate(json.loads(response.get_data()))
    assert bundle.type == "transaction"
    assert len(bundle.entry) == 12
    assert_download_headers(response, "json")


@pytest.mark.parametrize(
    ("fmt", "extension", "action"),
    [("csv", "csv", "export_csv"), ("xlsx", "xlsx", "export_excel"), ("fhir", "json", "export_fhir")],
)
def test_every_export_sends_download_headers_and_writes_one_audit_row(app, client, fmt, extension, action):
    with app.app_context():
        seed_referrals(3)
        references = list(db.session().scalars(select(Referral.reference)))
    sign_in_as(app, client)
    response = post_export(client, fmt, references=",".join(references[:2]))
    response.get_data()
    assert response.status_code == 200
    assert_download_headers(response, extension)
    [row] = audit_rows(app, action)
    assert row.record_count == 2
    assert set(row.record_refs.split(",")) == set(references[:2])
    assert row.actor == "triage@example.nhs.uk"
    assert "2 referrals" in row.detail


def test_references_ticked_in_the_queue_are_exported(app, client):
    with app.app_context():
        seed_referrals(3)
        references = list(db.session().scalars(select(Referral.reference)))
    sign_in_as(app, client)
    page = client.get("/staff/downloads")
    token = page.soup.select_one("input[name=csrf_token]")["value"]
    response = client.client.post(
        "/staff/export", data={"csrf_token": token, "format": "csv", "reference": [references[0], references[2]]}
    )
    body = response.get_data(as_text=True)
    assert references[0] in body and references[2] in body and references[1] not in body


def test_downloads_need_sign_in(client):
    assert client.client.get("/staff/downloads").status_code == 302
    assert client.client.get("/staff/intake/DSR-AAAA-BBBB/pdf").status_code == 302
    assert client.client.post("/staff/export", data={"format": "csv"}).status_code in (302, 400)


def test_an_export_without_a_csrf_token_is_refused(app, client):
    sign_in_as(app, client)
    response = client.client.post("/staff/export", data={"format": "csv", "references": "DSR-AAAA-BBBB"})
    assert response.status_code == 400
