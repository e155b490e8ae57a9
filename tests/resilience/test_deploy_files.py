"""The deployment files run what the resilience tests run, and name only settings the portal reads."""

from __future__ import annotations

import re

from portal.config import ROOT
from tests.support.processes import GUNICORN_OPTIONS

DEPLOY = ROOT / "deploy"
WEB_FILES = ("Procfile", "dsr-portal-web@.service")
MAIL_COMMAND = "flask --app portal mail deliver --forever"


def test_app_servers_are_deployed_with_the_gunicorn_options_the_crash_tests_use() -> None:
    for name in WEB_FILES:
        assert " ".join(GUNICORN_OPTIONS) in (DEPLOY / name).read_text(), name


def test_the_procfile_and_the_units_run_the_mail_worker() -> None:
    processes = dict(line.split(": ", 1) for line in (DEPLOY / "Procfile").read_text().splitlines() if line)
    assert set(processes) == {"release", "web", "mail"}
    assert processes["mail"] == MAIL_COMMAND
    assert f"/opt/dsr-portal/.venv/bin/{MAIL_COMMAND}" in (DEPLOY / "dsr-portal-mail.service").read_text()


def test_every_setting_in_the_example_file_is_one_the_portal_reads() -> None:
    config = (ROOT / "portal" / "config.py").read_text()
    example = (DEPLOY / "portal.env.example").read_text()
    names = re.findall(r"^#? ?([A-Z][A-Z0-9_]+)=", example, flags=re.MULTILINE)
    assert names, "no settings found"
    assert [name for name in names if f'"{name}"' not in config] == []
