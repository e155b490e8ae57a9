"""The translation gate: a language ships only with a complete, checked catalogue.

Parametrised over `portal.i18n.SHIPPED_LANGUAGES` (English aside), so each language is held
to the gate as soon as the translators' lead offers it. `.pot` freshness runs always.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import polib
import pytest

from portal import i18n
from portal.config import ROOT
from tests.easy_read.pages import ALL_BLOCKS, defined_blocks
from tests.translations.catalogues import POT, placeholders

MAX_EASY_READ_WORDS = 20
PYBABEL = Path(sys.executable).with_name("pybabel")
EXTRACT_FLAGS = ["-F", "babel.cfg", "-k", "_l", "-k", "lazy_gettext", "--no-location", "--omit-header"]
# A sentence ends at . ! ? and the Arabic question mark, the Bengali danda and the Urdu full stop.
SENTENCE_END = re.compile(r"(?<=[.!?\u061f\u0964\u06d4])\s+")


def catalogue(code: str) -> polib.POFile:
    """A language's catalogue; English's is its source, each message its own translation."""
    if code == i18n.ENGLISH:
        english = polib.pofile(str(POT))
        for entry in english:
            entry.msgstr = entry.msgid
        return english
    path = ROOT / "translations" / code / "LC_MESSAGES" / "messages.po"
    assert path.exists(), f"{code} is shipped but has no catalogue at {path}"
    return polib.pofile(str(path))


def source_ids() -> set[str]:
    return {entry.msgid for entry in polib.pofile(str(POT)) if entry.msgid}


def easy_read_texts() -> set[str]:
    """The English of every easy-read block, wherever it is defined (each block has a picture)."""
    blocks = [*ALL_BLOCKS, *(b for _name, b in defined_blocks())]
    return {str(b.text) for b in blocks}  # outside a request a lazy string is its English source


def sentences(text: str) -> list[str]:
    return [s for s in SENTENCE_END.split(text.strip()) if s]


def test_the_pot_file_is_fresh(tmp_path: Path) -> None:
    """What `make translations` extracts now is what `translations/messages.pot` holds."""
    fresh = tmp_path / "messages.pot"
    subprocess.run(
        [str(PYBABEL), "extract", *EXTRACT_FLAGS, "-o", str(fresh), "."], cwd=ROOT, check=True, capture_output=True
    )
    extracted = {entry.msgid for entry in polib.pofile(str(fresh)) if entry.msgid}
    committed = source_ids()
    assert extracted == committed, (
        "translations/messages.pot is stale: run `make translations` and commit it. "
        f"New: {sorted(extracted - committed)[:5]}; gone: {sorted(committed - extracted)[:5]}"
    )


def untranslated(po: polib.POFile) -> list[str]:
    done = {e.msgid for e in po if e.msgid and not e.obsolete and (e.msgstr or any(e.msgstr_plural.values()))}
    return sorted(source_ids() - done)


def fuzzy(po: polib.POFile) -> list[str]:
    return sorted(e.msgid for e in po if e.msgid and not e.obsolete and "fuzzy" in e.flags)


def wrong_placeholders(po: polib.POFile) -> list[str]:
    return [e.msgid for e in po if e.msgid and e.msgstr and placeholders(e.msgid) != placeholders(e.msgstr)]


def blocks_without_words(po: polib.POFile) -> list[str]:
    """A block is drawn with its picture only beside its own words: every block's words must be translated."""
    return sorted(easy_read_texts() - {e.msgid for e in po if e.msgstr})


def long_easy_read_sentences(po: polib.POFile) -> list[str]:
    texts = easy_read_texts()
    translations = [e.msgstr for e in po if e.msgid in texts and e.msgstr]
    return [s for text in translations for s in sentences(text) if len(s.split()) > MAX_EASY_READ_WORDS]


GATE = (untranslated, fuzzy, wrong_placeholders, blocks_without_words, long_easy_read_sentences)


def test_the_gate_covers_every_shipped_language() -> None:
    assert i18n.SHIPPED_LANGUAGES[0] == i18n.ENGLISH
    assert set(i18n.SHIPPED_LANGUAGES) <= set(i18n.LANGUAGES), "a shipped language without a name and direction"


@pytest.mark.parametrize("check", GATE, ids=[check.__name__ for check in GATE])
@pytest.mark.parametrize("code", i18n.SHIPPED_LANGUAGES)
def test_each_shipped_catalogue_passes_the_gate(code: str, check: Callable[[polib.POFile], list[str]]) -> None:
    found = check(catalogue(code))
    assert not found, f"{code}: {len(found)} {check.__name__.replace('_', ' ')}, e.g. {found[:3]}"


def test_the_gate_finds_each_fault() -> None:
    """A catalogue with one of each fault fails each check (so a passing gate means something)."""
    po = catalogue(i18n.ENGLISH)
    with_placeholder = next(e for e in po if "%(" in e.msgid)
    with_placeholder.msgstr = "no placeholder here"
    block_text = sorted(easy_read_texts())[0]
    block_entry = po.find(block_text)
    block_entry.msgstr = " ".join(["word"] * (MAX_EASY_READ_WORDS + 1)) + "."
    po.find(sorted(easy_read_texts())[1]).flags.append("fuzzy")
    missing = po.find(sorted(easy_read_texts())[2])
    missing.msgstr = ""
    assert untranslated(po) == [missing.msgid]
    assert fuzzy(po) == [sorted(easy_read_texts())[1]]
    assert wrong_placeholders(po) == [with_placeholder.msgid]
    assert blocks_without_words(po) == [missing.msgid]
    assert len(long_easy_read_sentences(po)) == 1


@pytest.mark.parametrize("code", i18n.SHIPPED_LANGUAGES)
def test_each_shipped_language_has_a_font_to_print_it(code: str) -> None:
    """Letters and the leaflet are PDFs: without a font for the script they print empty boxes (`make system-packages`)."""
    fonts = subprocess.run(["fc-list", f":lang={code}", "family"], capture_output=True, text=True, check=True).stdout
    assert fonts.strip(), f"no font for {code}: run `sudo make system-packages`"
