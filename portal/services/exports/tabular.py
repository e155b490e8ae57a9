"""CSV and Excel exports: written batch by batch as referrals are read, never cut short silently.

Completeness: the last row of every export is a trailer, `END OF EXPORT` with
the number of referrals written, checked against the count fixed when the
export started. If anything goes wrong part-way, the last row says
`EXPORT FAILED after n of N` instead, and the error is raised again so the
server breaks the connection (a chunked response without its final chunk:
browsers and curl show the download as failed). A file without a trailer was
cut short in transit; `check_complete` says so. Why stream rather than a
background job: the trailer makes a short file obvious to anyone who opens
it, a CSV of 100,000 referrals takes seconds, and no job store or shared disk
is needed when several app servers run (see the README for the timeout).
"""

from __future__ import annotations

import csv
import itertools
import logging
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from openpyxl import Workbook

from portal.services.exports.columns import END_MARKER, FAILED_MARKER, HEADINGS, RowMaker
from portal.services.exports.selection import Snapshot, iter_export_batches

log = logging.getLogger(__name__)


class IncompleteExportError(ValueError):
    """An export file lacks its trailer, or the trailer's count does not match its rows."""


def trailer(count: int) -> list[str]:
    return [END_MARKER, f"{count} referrals"]


def failure(written: int, expected: int) -> list[str]:
    return [FAILED_MARKER, f"after {written} of {expected} referrals: this file is incomplete, export again"]


def rows(snapshot: Snapshot) -> Iterator[list[str]]:
    """Headings, one row per referral, then the trailer (or the failure row, then the error)."""
    return itertools.chain.from_iterable(row_batches(snapshot))


def row_batches(snapshot: Snapshot) -> Iterator[list[list[str]]]:
    """`rows` a batch of referrals at a time: each step (unsealing, cells, CSV) runs over a
    whole batch, faster than row by row. On an error the rows made so far come first."""
    maker = RowMaker()
    yield [list(HEADINGS)]
    written = 0
    made: list[list[str]] = []
    try:
        for batch in iter_export_batches(snapshot):
            for row in batch:
                made.append(maker.cells(row))
            written += len(made)
            yield made
            made = []
    except Exception:
        written += len(made)
        log.exception("export failed after %d of %d referrals", written, snapshot.count)
        yield [*made, failure(written, snapshot.count)]
        raise
    if written != snapshot.count:
        log.error("export wrote %d referrals, expected %d", written, snapshot.count)
        yield [failure(written, snapshot.count)]
        raise IncompleteExportError(f"wrote {written} of {snapshot.count}")
    yield [trailer(written)]


class _Collector:
    """A file-like `write` that keeps the pieces: cheaper than StringIO for text in many scripts."""

    def __init__(self, pieces: list[str]) -> None:
        self.write = pieces.append


def csv_chunks(snapshot: Snapshot) -> Iterator[str]:
    """RFC 4180 CSV (CRLF, quotes doubled) a batch of referrals to a chunk, UTF-8 with a BOM for Excel."""
    pieces: list[str] = ["\ufeff"]
    writer = csv.writer(_Collector(pieces), lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    try:
        for batch in row_batches(snapshot):
            writer.writerows(batch)
            yield "".join(pieces)
            pieces.clear()
    except Exception:
        yield "".join(pieces)  # the rows so far and the failure row reach the file first
        raise


def write_excel(snapshot: Snapshot, target: IO[bytes] | Path) -> None:
    """An .xlsx in openpyxl's write-only mode: rows go to disk as they are added, strings inline
    (no shared-string table growing in memory); with lxml installed openpyxl writes it about a third faster."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Referrals")
    for row in rows(snapshot):
        # Every cell is a neutralised string: never a formula, never a number. An empty
        # one is left out of the file (None), which Excel shows the same and costs nothing.
        sheet.append([cell or None for cell in row])
    workbook.save(target)


def excel_file(snapshot: Snapshot) -> Path:
    """The finished workbook in a temporary file (the caller sends it with its length, then deletes it)."""
    handle = tempfile.NamedTemporaryFile(prefix="dsr-export-", suffix=".xlsx", delete=False)  # noqa: SIM115
    handle.close()
    path = Path(handle.name)
    try:
        write_excel(snapshot, path)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


def check_complete(table: list[list[str]]) -> int:
    """The number of referrals in a read-back export, or `IncompleteExportError` if it is short or failed."""
    if not table or table[-1][:1] != [END_MARKER]:
        last = table[-1][:1] if table else []
        raise IncompleteExportError("export failed" if last == [FAILED_MARKER] else "export has no trailer")
    promised = int(table[-1][1].split()[0])
    found = len(table) - 2
    if promised != found:
        raise IncompleteExportError(f"trailer promises {promised} referrals, file holds {found}")
    return found
