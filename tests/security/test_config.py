"""Configuration fails closed: production will not start without its secrets, and says which one is missing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from portal import create_app
from portal.config import ConfigError

ROOT = Path(__file__).resolve().parents[2]
GOOD = {
    "SECRET_KEY": "s" * 40,
    "ENCRYPTION_KEYS": Fernet.generate_key().decode(),
    "DATABASE_URL": "sqlite:///:memory:",
}


@pytest.fixture
def production_env(monkeypatch):
    """Production with every secret set; each test takes one away."""
    monkeypatch.setenv("PORTAL_ENV", "production")
    for name, value in GOOD.items():
        monkeypatch.setenv(name, value)
    return monkeypatch


def test_production_with_every_secret_starts(production_env):
    assert create_app().config["SESSION_COOKIE_NAME"] == "__Host-session"


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("SECRET_KEY", None),
        ("SECRET_KEY", ""),
        ("SECRET_KEY", "too-short-a-secret-key-31-chars"),
        ("ENCRYPTION_KEYS", None),
        ("ENCRYPTION_KEYS", " , "),
        ("DATABASE_URL", None),
    ],
)
def test_production_without_a_secret_refuses_to_start_naming_it(production_env, variable, value):
    if value is None:
        production_env.delenv(variable)
    else:
        production_env.setenv(variable, value)
    with pytest.raises(ConfigError) as refused:
        create_app()
    message = str(refused.value)
    assert variable in message
    assert "\n" not in message


def test_no_environment_name_means_production(production_env):
    production_env.delenv("PORTAL_ENV")
    production_env.delenv("SECRET_KEY")
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app()


@pytest.mark.parametrize("name", ["staging", "prod", "PRODUCTION", "test "])
def test_an_unknown_environment_name_is_refused(monkeypatch, name):
    monkeypatch.setenv("PORTAL_ENV", name)
    with pytest.raises(ConfigError, match="PORTAL_ENV"):
        create_app()


def test_the_command_line_refuses_to_start_and_names_the_missing_variable():
    env = {k: v for k, v in os.environ.items() if k not in GOOD}
    env["PORTAL_ENV"] = "production"
    started = subprocess.run(
        [str(Path(sys.executable).parent / "flask"), "--app", "portal", "routes"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert started.returncode != 0
    assert "SECRET_KEY" in started.stderr.strip().splitlines()[-1]
    assert "Endpoint" not in started.stdout
