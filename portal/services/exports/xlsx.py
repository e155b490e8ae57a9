"""A one-sheet .xlsx of text cells, written row by row straight into the zip.

Why not openpyxl: even in write-only mode it builds a cell object and an lxml
element for every cell, which made 100,000 referrals (4.3 million cells) take
about a minute. Every cell of an export is a neutralised string, so the sheet
is a fixed pattern: each row is one piece of XML joined in Python and
compressed as it goes, in a few seconds and in flat memory. The parts are the
smallest set Excel, LibreOffice and openpyxl open without complaint (ECMA-376
part 1: content types, relationships, workbook, styles, one worksheet).
Strings are inline (no shared-string table growing in memory); an empty cell
is left out, which spreadsheets show the same and costs nothing.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import IO

ROWS_PER_WRITE = 500
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_SPECIAL = re.compile("[&<>\r]")
_ESCAPES = {ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;", ord("\r"): "&#13;"}


def column_letter(number: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _parts(sheet_name: str) -> dict[str, str]:
    name = sheet_name.translate(_ESCAPES).replace('"', "&quot;")
    return {
        "[Content_Types].xml": _DECLARATION
        + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        "</Types>",
        "_rels/.rels": _DECLARATION + f'<Relationships xmlns="{_PACKAGE_RELS}">'
        f'<Relationship Id="rId1" Type="{_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": _DECLARATION + f'<workbook xmlns="{_MAIN}" xmlns:r="{_RELS}">'
        f'<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": _DECLARATION + f'<Relationships xmlns="{_PACKAGE_RELS}">'
        f'<Relationship Id="rId1" Type="{_RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{_RELS}/styles" Target="styles.xml"/></Relationships>',
        "xl/styles.xml": _DECLARATION + f'<styleSheet xmlns="{_MAIN}">'
        '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>",
    }


def _row_xml(number: int, cells: list[str], letters: list[str]) -> str:
    """One `<row>`: each non-empty cell an inline string, whitespace kept, `& < > CR` escaped."""
    if _SPECIAL.search("".join(cells)) is not None:
        cells = [cell.translate(_ESCAPES) for cell in cells]
    return (
        f'<row r="{number}">'
        + "".join(
            f'<c r="{letter}{number}" t="inlineStr"><is><t xml:space="preserve">{cell}</t></is></c>'
            for letter, cell in zip(letters, cells)  # noqa: B905 (a row is never wider than the letters)
            if cell
        )
        + "</row>"
    )


def write_sheet(rows: Iterable[list[str]], target: IO[bytes] | Path, *, sheet_name: str, width: int) -> None:
    """Write `rows` (strings, at most `width` cells each) as the only sheet of a workbook at `target`.

    If `rows` raises part-way, the rows before it (and whatever the iterator
    yielded before raising) are in the sheet, the error propagates, and the
    file is not a finished workbook.
    """
    letters = [column_letter(number) for number in range(1, width + 1)]
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as workbook:
        for name, text in _parts(sheet_name).items():
            workbook.writestr(name, text)
        with workbook.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(f'{_DECLARATION}<worksheet xmlns="{_MAIN}"><sheetData>'.encode())
            pending: list[str] = []
            try:
                for number, cells in enumerate(rows, 1):
                    pending.append(_row_xml(number, cells, letters))
                    if len(pending) >= ROWS_PER_WRITE:
                        sheet.write("".join(pending).encode())
                        pending.clear()
            finally:
                sheet.write("".join(pending).encode())
            sheet.write(b"</sheetData></worksheet>")
