"""An app offering test-only pseudo catalogues (see `catalogues.py`): English, "pl" and "ar" (right to left)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask

from portal import i18n
from tests.conftest import make_app
from tests.translations.catalogues import compile_pseudo, use_catalogues

PSEUDO_LANGUAGES = ("en", "pl", "ar")


@pytest.fixture
def pseudo_app(sqlite_template: Path, tmp_path: Path) -> Iterator[Flask]:
    shutil.copy(sqlite_template, tmp_path / "portal.sqlite3")
    app = make_app(f"sqlite:///{tmp_path / 'portal.sqlite3'}")
    use_catalogues(app, compile_pseudo(tmp_path / "catalogues", *PSEUDO_LANGUAGES[1:]), PSEUDO_LANGUAGES)
    yield app
    use_catalogues(app, tmp_path / "none", i18n.SHIPPED_LANGUAGES)
    app.extensions["engine"].dispose()
