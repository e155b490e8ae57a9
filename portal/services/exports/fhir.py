"""A FHIR Bundle (Patient, QuestionnaireResponse, Consent per referral) for a register or an EPR.

Built and validated with `fhir.resources`' R4B models: its default models are
R5, and it ships no plain R4 package. R4B is R4's resources (Patient,
QuestionnaireResponse, Consent and Bundle are unchanged between the two)
with R4's FHIR version 4.3 label, so an R4 server accepts what we send. The
bundle is a `transaction`: a FHIR server imports it in one POST, and the
Patient is created only if no patient with that NHS number exists yet.
"""

from __future__ import annotations

import uuid
from typing import Any

from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.consent import Consent
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.questionnaireresponse import QuestionnaireResponse
from flask import current_app

from portal import i18n
from portal.models import ConsentEvent
from portal.services.records import ReferralRecord

NHS_NUMBER_SYSTEM = "https://fhir.nhs.uk/Id/nhs-number"
BCP_47 = "urn:ietf:bcp:47"
BUNDLE_NAMESPACE = uuid.UUID("6f1d2c7e-7a0b-4a53-9a55-5d0c8b1e2f10")
MAX_BUNDLE_REFERRALS = 1000
CONSENT_STATUS = {"given": "active", "reconfirmed": "active", "withdrawn": "inactive", "lapsed": "inactive"}


def reference_system() -> str:
    return current_app.config["PORTAL_SETTINGS"].public_base_url.rstrip("/") + "/id/referral-reference"


def _full_url(reference: str, kind: str) -> str:
    return f"urn:uuid:{uuid.uuid5(BUNDLE_NAMESPACE, f'{reference}/{kind}')}"


def _timestamp(moment: Any) -> str:
    text = moment.isoformat()
    return text if moment.tzinfo else text + "+00:00"


def patient(record: ReferralRecord) -> Patient:
    """The person: NHS number, names, birth date, address, contacts; nothing else once erased."""
    answers = record.answers
    data: dict[str, Any] = {"resourceType": "Patient"}
    if answers.get("nhs_number"):
        data["identifier"] = [{"system": NHS_NUMBER_SYSTEM, "value": answers["nhs_number"]}]
    names = [{"use": "official", "text": answers["full_name"]}] if answers.get("full_name") else []
    if answers.get("preferred_name"):
        names.append({"use": "usual", "text": answers["preferred_name"]})
    if names:
        data["name"] = names
    if answers.get("date_of_birth"):
        data["birthDate"] = answers["date_of_birth"]
    lines = [answers[key] for key in ("address_line_1", "address_line_2") if answers.get(key)]
    if lines:
        data["address"] = [
            {"use": "home", "line": lines, "city": answers.get("town") or None, "postalCode": answers.get("postcode")}
        ]
    telecom = [{"system": "phone", "value": answers["phone"]}] if answers.get("phone") else []
    if answers.get("email"):
        telecom.append({"system": "email", "value": answers["email"]})
    if telecom:
        data["telecom"] = telecom
    if answers.get("gp_practice"):
        data["generalPractitioner"] = [{"display": answers["gp_practice"]}]
    if not record.erased:
        data["communication"] = communication(record.referral.language, answers)
    return Patient.model_validate(data)


def communication(form_language: str, answers: dict[str, Any]) -> list[dict[str, Any]]:
    """Patient.communication: the interpreter language asked for (preferred), then the form's language.

    The form's language is coded (BCP 47): letters and emails to the person go out in it.
    """
    coded = {"coding": [{"system": BCP_47, "code": form_language}], "text": i18n.label(form_language)}
    languages: list[dict[str, Any]] = [{"language": coded}]
    if answers.get("interpreter") == "yes" and answers.get("interpreter_language"):
        languages.insert(0, {"language": {"text": answers["interpreter_language"]}, "preferred": True})
    return languages


def questionnaire_response(record: ReferralRecord, patient_url: str) -> QuestionnaireResponse:
    """Every answer in words, one group per page, as the team reads it on the record page."""
    groups = [
        {
            "linkId": f"page-{index}",
            "text": title,
            "item": [
                {
                    "linkId": f"{row.question_id}-{number}",
                    "text": row.label or "-",
                    "answer": [{"valueString": "\n".join(row.lines) or "-"}],
                }
                for number, row in enumerate(rows)
            ],
        }
        for index, (title, rows) in enumerate(record.sections())
        if rows
    ]
    data: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "identifier": {"system": reference_system(), "value": record.reference},
        "status": "completed",
        "subject": {"reference": patient_url},
        "authored": _timestamp(record.received_at),
    }
    if groups:
        data["item"] = groups
    return QuestionnaireResponse.model_validate(data)


def consent(record: ReferralRecord, event: ConsentEvent, patient_url: str) -> Consent:
    """The latest consent decision: who gave it, when, and the version of the words agreed to."""
    status = "proposed" if event.given_by == "best_interest_needed" else CONSENT_STATUS.get(event.kind, "inactive")
    return Consent.model_validate(
        {
            "resourceType": "Consent",
            "status": status,
            "scope": {
                "coding": [{"system": "http://terminology.hl7.org/CodeSystem/consentscope", "code": "patient-privacy"}]
            },
            "category": [{"coding": [{"system": "http://loinc.org", "code": "59284-0", "display": "Patient Consent"}]}],
            "patient": {"reference": patient_url},
            "dateTime": _timestamp(event.occurred_at),
            "policy": [{"uri": f"urn:dsr-portal:consent-wording:{event.wording_version}"}],
            "policyRule": {
                "coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "OPTIN"}],
                "text": f"Dynamic Support Register; consent given by: {event.given_by}",
            },
            "sourceReference": {"reference": _full_url(record.reference, "questionnaire-response")},
        }
    )


def _entry(full_url: str, resource: Any, if_none_exist: str | None = None) -> dict[str, Any]:
    request: dict[str, Any] = {"method": "POST", "url": resource.get_resource_type()}
    if if_none_exist:
        request["ifNoneExist"] = if_none_exist
    return {"fullUrl": full_url, "resource": resource, "request": request}


def entries(record: ReferralRecord) -> list[dict[str, Any]]:
    patient_url = _full_url(record.reference, "patient")
    person = patient(record)
    nhs_number = record.answers.get("nhs_number")
    found = [
        _entry(patient_url, person, f"identifier={NHS_NUMBER_SYSTEM}|{nhs_number}" if nhs_number else None),
        _entry(_full_url(record.reference, "questionnaire-response"), questionnaire_response(record, patient_url)),
    ]
    if record.consent_events:
        event = record.consent_events[-1]
        found.append(_entry(_full_url(record.reference, "consent"), consent(record, event, patient_url)))
    return found


def bundle(records: list[ReferralRecord]) -> Bundle:
    """One transaction bundle; pydantic validates every resource as it is built."""
    return Bundle.model_validate(
        {
            "resourceType": "Bundle",
            "type": "transaction",
            "entry": [entry for record in records for entry in entries(record)],
        }
    )
