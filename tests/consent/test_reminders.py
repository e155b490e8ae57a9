"""Yearly reconfirmation: first and second reminders, lapses, a child turning 16; safe to run twice."""

from __future__ import annotations

from datetime import date, timedelta

import time_machine
from sqlalchemy import func, select

from portal import db
from portal.models import OutboxMessage, Referral, utcnow
from portal.services import signed_links
from tests.conftest import PageClient
from tests.consent.conftest import answer, by_email, consent_given_days_ago, events, intake, links, make_referral
from tests.support.journey import PAGES


def run(app) -> str:
    result = app.test_cli_runner().invoke(args=["consent", "send-reminders"])
    assert result.exit_code == 0, result.output
    return result.output


def outbox(app, purpose: str = "consent_reminder") -> list[OutboxMessage]:
    with app.app_context():
        return list(db.session().scalars(select(OutboxMessage).where(OutboxMessage.purpose == purpose)))


def test_a_consent_due_within_30_days_gets_one_reminder_however_often_the_command_runs(client, app):
    reference = by_email(client)
    consent_given_days_ago(app, reference, 340)
    first = run(app)
    assert f"first reminders: 1 {reference}" in first
    assert "emails queued: 1, letters to print: 1" in first
    second = run(app)
    assert "first reminders: 0" in second and "emails queued: 0" in second
    [message] = outbox(app)
    assert message.to_address == "sian@example.com"
    assert "/consent/reconfirm/" in message.body
    assert len(links(app)) == 1


def test_a_consent_not_yet_due_gets_nothing(client, app):
    reference = by_email(client)
    consent_given_days_ago(app, reference, 300)
    assert "first reminders: 0" in run(app)
    assert outbox(app) == [] and links(app) == []


def test_a_second_reminder_goes_14_days_before_and_kills_the_first_link(client, app):
    reference = by_email(client)
    consent_given_days_ago(app, reference, 340)
    run(app)
    with time_machine.travel(utcnow() + timedelta(days=12)):
        assert f"second reminders: 1 {reference}" in run(app)
        assert "second reminders: 0" in run(app)
    first, second = links(app)
    assert first.superseded_at is not None and second.superseded_at is None
    assert len(outbox(app)) == 2


def test_an_unanswered_consent_lapses_the_day_after_and_goes_to_the_team_never_deleted(client, app):
    reference = by_email(client)
    consent_given_days_ago(app, reference, 367)
    assert f"lapsed: 1 {reference}" in run(app)
    assert "lapsed: 0" in run(app)
    assert events(app, reference)[-1] == ("lapsed", "system", "system")
    assert [item["reference"] for item in intake(app, "lapsed")] == [reference]
    with app.app_context():
        assert db.session().scalar(select(func.count()).select_from(Referral)) == 1


def test_a_reconfirmed_consent_is_next_due_a_year_after_the_reconfirmation(client, app):
    reference = by_email(client)
    consent_given_days_ago(app, reference, 340)
    run(app)
    with app.test_request_context():
        token = signed_links.token_for(links(app)[0])
    answer(client, token, "keep")
    with time_machine.travel(utcnow() + timedelta(days=40)):
        report = run(app)
    assert "lapsed: 0" in report and "first reminders: 0" in report
    assert [kind for kind, _by, _channel in events(app, reference)] == ["given", "reconfirmed"]


def test_email_goes_only_where_it_is_safe_and_letters_only_where_they_are(client, app):
    reference = make_referral(client, safe_contact={**PAGES["safe-contact"], "safe_contact": ["phone_call"]})
    consent_given_days_ago(app, reference, 340)
    report = run(app)
    assert "emails queued: 0, letters to print: 0, calls for the team: 1" in report
    assert [item["reference"] for item in intake(app, "callback")] == [reference]


def _child_turning_16(days: int) -> dict[str, str]:
    born = date.today() - timedelta(days=16 * 365 + 4) + timedelta(days=days)
    return {
        "date_of_birth-day": str(born.day),
        "date_of_birth-month": str(born.month),
        "date_of_birth-year": str(born.year),
    }


def test_a_child_who_turns_16_is_asked_themself_and_the_team_is_told(client, app):
    reference = make_referral(
        client,
        who={"who": "parent"},
        date_of_birth=_child_turning_16(10),
        safe_contact={**PAGES["safe-contact"], "safe_contact": ["email"]},
        referrer={**PAGES["referrer"], "referrer_email": "parent@example.com"},
    )
    assert events(app, reference)[0][1] == "parental_responsibility"
    consent_given_days_ago(app, reference, 340)
    report = run(app)
    assert f"turned 16, team told: 1 {reference}" in report
    assert "turned 16, team told: 0" in run(app)
    assert links(app)[0].addressed_to == "person"
    [message] = outbox(app)
    assert message.to_address == "sian@example.com"
    assert [item["reference"] for item in intake(app, "turned_16")] == [reference]


def test_a_younger_child_s_reminder_goes_to_the_parent(client, app):
    reference = make_referral(
        client,
        who={"who": "parent"},
        date_of_birth=_child_turning_16(200),
        safe_contact={**PAGES["safe-contact"], "safe_contact": ["email"]},
        referrer={**PAGES["referrer"], "referrer_email": "parent@example.com"},
    )
    consent_given_days_ago(app, reference, 340)
    assert "turned 16, team told: 0" in run(app)
    assert links(app)[0].addressed_to == "parent"
    assert [m.to_address for m in outbox(app)] == ["parent@example.com"]


def test_a_child_referred_by_a_professional_is_reconfirmed_through_the_team_not_the_professional(client, app):
    """The teacher said a parent agreed; the teacher must not be asked, and recorded, in the parent's place."""
    reference = by_email(
        client,
        who={"who": "professional"},
        date_of_birth=_child_turning_16(200),
        referrer={**PAGES["referrer"], "referrer_email": "teacher@school.example"},
    )
    assert events(app, reference)[0][1] == "parental_responsibility_via_referrer"
    consent_given_days_ago(app, reference, 340)
    assert "emails queued: 0, letters to print: 0, calls for the team: 1" in run(app)
    assert outbox(app) == [] and links(app) == [], "no link anyone but the parent could answer"
    [callback] = intake(app, "callback")
    assert callback["reference"] == reference
    assert "parental responsibility" in callback["why"] and "no contact details for them" in callback["why"]
    with time_machine.travel(utcnow() + timedelta(days=12)):
        second = run(app)
    assert f"second reminders: 1 {reference}" in second and "calls for the team: 0" in second
    assert len(intake(app, "callback")) == 1, "the first call-back is still in the queue: not a second one"


def test_where_a_best_interest_decision_may_be_needed_the_person_is_not_asked_alone(client, app):
    reference = by_email(
        client,
        who={"who": "family_carer"},
        consent_adult_behalf={"consent_adult_behalf": "best_interest"},
    )
    assert events(app, reference)[0][1] == "best_interest_needed"
    consent_given_days_ago(app, reference, 340)
    assert "emails queued: 0, letters to print: 0, calls for the team: 1" in run(app)
    assert outbox(app) == [] and links(app) == []
    [callback] = intake(app, "callback")
    assert "best-interest decision" in callback["why"]


def test_someone_the_team_found_not_eligible_is_never_asked_to_stay_on_the_register(client, app):
    reference = by_email(client)
    eligible = by_email(PageClient(app.test_client()))
    with app.app_context(), db.unit_of_work() as session:
        session.scalar(select(Referral).where(Referral.reference == reference)).intake_item.outcome = "not_eligible"
    for each in (reference, eligible):
        consent_given_days_ago(app, each, 340)
    assert f"first reminders: 1 {eligible}" in run(app)
    with time_machine.travel(utcnow() + timedelta(days=40)):
        assert "lapsed: 1 " + eligible in run(app), "nor does their consent lapse into the team's queue"
    assert [m.to_address for m in outbox(app)] == ["sian@example.com"]


def test_someone_waiting_for_the_team_to_take_them_off_is_not_asked_to_stay_on(client, app):
    from tests.consent.test_withdrawal_and_saving import REQUEST

    reference = by_email(client)
    consent_given_days_ago(app, reference, 340)
    client.post("/come-off-the-dsr", {**REQUEST, "reference": reference}, expect=302)
    client.post("/come-off-the-dsr/check", {}, expect=302)
    [removal] = intake(app, "removal")
    assert removal["reference"] == reference, "matched by reference and date of birth"
    assert "first reminders: 0" in run(app)
    assert outbox(app) == []


def test_the_next_reconfirmation_is_a_year_on_and_29_february_falls_on_28_february():
    from datetime import UTC, datetime

    from portal.services.due_dates import reconfirmation_due

    assert reconfirmation_due(datetime(2027, 6, 1, 23, 30, tzinfo=UTC)) == date(2028, 6, 2)
    assert reconfirmation_due(datetime(2028, 2, 29, 12, tzinfo=UTC)) == date(2029, 2, 28)
