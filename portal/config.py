"""Configuration from environment variables.

A missing `PORTAL_ENV` means production, and production refuses to start
without the secrets it needs: the configuration fails closed. Development and
test hold the unsafe conveniences.
"""

from __future__ import annotations

import json
import os
import secrets
from dataclasses import dataclass, field, fields
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parent.parent
INSTANCE = ROOT / "instance"
ENVIRONMENTS = ("production", "development", "test")


class ConfigError(RuntimeError):
    """Raised when the portal must not start; the message names what is missing."""


def _env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as error:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}") from error


@dataclass(frozen=True)
class LocalTeam:
    """The local DSR team, shown on every public page: any ICB deploys by setting these."""

    name: str = "Dynamic Support Register team"
    area: str = "your area"
    phone: str = "0300 000 0000"
    email: str = "dsr.team@example.nhs.uk"
    crisis_line: str = "your local mental health crisis line"
    crisis_phone: str = "111, option 2"

    @classmethod
    def from_env(cls) -> LocalTeam:
        values = {}
        for spec in fields(cls):
            raw = os.environ.get(f"DSR_TEAM_{spec.name.upper()}")
            if raw:
                values[spec.name] = raw
        return cls(**values)


@dataclass
class Settings:
    """Everything the portal reads from the environment, with where it came from."""

    env: str
    secret_key: str
    database_url: str
    encryption_keys: list[str]
    team: LocalTeam = field(default_factory=LocalTeam)
    public_base_url: str = "http://127.0.0.1:5000"
    smtp_host: str = "localhost"
    smtp_port: int = 25
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = False
    smtp_timeout_seconds: int = 20
    mail_claim_seconds: int = 120
    mail_retry_base_seconds: int = 30
    mail_from: str = "dsr-portal@example.nhs.uk"
    team_mailbox: str = "dsr.team@example.nhs.uk"
    notify_api_key: str = field(default="", repr=False)
    notify_email_template_id: str = ""
    notify_base_url: str = "https://api.notifications.service.gov.uk"
    draft_timeout_seconds: int = 2 * 60 * 60
    draft_warning_seconds: int = 5 * 60
    review_days: int = 28
    consent_link_days: int = 60
    consent_reminder_days: int = 30
    save_return_link_days: int = 7
    consent_link_rate_limit: str = "60 per 10 minutes"
    submit_rate_limit: str = "20 per minute"
    ratelimit_storage_uri: str = "memory://"
    # Proxies in front that add X-Forwarded-For (nginx, a load balancer): 0 trusts none, so a client cannot
    # claim another address; behind one proxy, 1, or every limit is one limit for everybody behind it.
    trusted_proxy_hops: int = 0
    log_level: str = "INFO"
    staff_idle_minutes: int = 20
    staff_lock_minutes: int = 15
    staff_setup_link_hours: int = 24
    staff_signin_rate_limit: str = "30 per 10 minutes"
    oidc_issuer: str = ""
    oidc_client_id: str = ""
    oidc_client_secret: str = ""
    oidc_display_name: str = "NHSmail"
    oidc_provider_enforces_mfa: bool = False
    # Languages offered to the public (`LANGUAGES=en,pl`); empty means every language that ships.
    languages: tuple[str, ...] = ()

    @property
    def sso_enabled(self) -> bool:
        """Single sign-on is on only when both the issuer and the client id are set."""
        return bool(self.oidc_issuer and self.oidc_client_id)

    def flask_config(self) -> dict[str, object]:
        production = self.env == "production"
        return {
            "SECRET_KEY": self.secret_key,
            "PORTAL_SETTINGS": self,
            "SESSION_COOKIE_NAME": "__Host-session" if production else "session",
            "SESSION_COOKIE_SECURE": production,
            "SESSION_COOKIE_HTTPONLY": True,
            "SESSION_COOKIE_SAMESITE": "Lax",
            # The cookie holds only the draft's random id, so it may outlive the draft by a
            # day: a person who comes back is told their answers were deleted, not just restarted.
            "PERMANENT_SESSION_LIFETIME": self.draft_timeout_seconds + 24 * 60 * 60,
            "MAX_CONTENT_LENGTH": 512 * 1024,
            "MAX_FORM_MEMORY_SIZE": 512 * 1024,
            "WTF_CSRF_TIME_LIMIT": None,
            "WTF_CSRF_SSL_STRICT": production,
            "RATELIMIT_STORAGE_URI": self.ratelimit_storage_uri,
            "RATELIMIT_HEADERS_ENABLED": False,
            "TESTING": self.env == "test",
        }


def _development_keys() -> tuple[str, list[str]]:
    """Keys kept under `instance/` so a developer's data survives restarts."""
    INSTANCE.mkdir(exist_ok=True)
    path = INSTANCE / "development-keys.json"
    if not path.exists():
        path.write_text(
            json.dumps({"secret_key": secrets.token_urlsafe(32), "encryption_keys": [Fernet.generate_key().decode()]})
        )
        path.chmod(0o600)
    stored = json.loads(path.read_text())
    return stored["secret_key"], stored["encryption_keys"]


def load_settings(overrides: dict[str, object] | None = None) -> Settings:
    """Read settings from the environment; `overrides` (tests) win over it."""
    overrides = dict(overrides or {})
    env = str(overrides.pop("env", os.environ.get("PORTAL_ENV", "production")))
    if env not in ENVIRONMENTS:
        raise ConfigError(f"PORTAL_ENV must be one of {', '.join(ENVIRONMENTS)}, not {env!r}")

    secret_key = os.environ.get("SECRET_KEY", "")
    keys = [k for k in os.environ.get("ENCRYPTION_KEYS", "").split(",") if k.strip()]
    database_url = os.environ.get("DATABASE_URL", "")
    if env == "production":
        if len(secret_key) < 32:
            raise ConfigError("SECRET_KEY must be set to at least 32 random characters in production")
        if not keys:
            raise ConfigError("ENCRYPTION_KEYS must be set in production (see README: Configuration)")
        if not database_url:
            raise ConfigError("DATABASE_URL must be set in production")
    elif env == "development":
        dev_secret, dev_keys = _development_keys()
        secret_key = secret_key or dev_secret
        keys = keys or dev_keys
        database_url = database_url or f"sqlite:///{INSTANCE / 'portal.sqlite3'}"
    else:
        secret_key = secret_key or secrets.token_urlsafe(32)
        keys = keys or [Fernet.generate_key().decode()]
        database_url = database_url or "sqlite:///:memory:"

    settings = Settings(
        env=env,
        secret_key=secret_key,
        database_url=database_url,
        encryption_keys=keys,
        team=LocalTeam.from_env(),
        public_base_url=os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000").rstrip("/"),
        smtp_host=os.environ.get("SMTP_HOST", "localhost"),
        smtp_port=_env_int("SMTP_PORT", 25),
        smtp_username=os.environ.get("SMTP_USERNAME", ""),
        smtp_password=os.environ.get("SMTP_PASSWORD", ""),
        smtp_starttls=os.environ.get("SMTP_STARTTLS", "") == "1",
        smtp_timeout_seconds=_env_int("SMTP_TIMEOUT_SECONDS", 20),
        mail_claim_seconds=_env_int("MAIL_CLAIM_SECONDS", 120),
        mail_retry_base_seconds=_env_int("MAIL_RETRY_BASE_SECONDS", 30),
        mail_from=os.environ.get("MAIL_FROM", "dsr-portal@example.nhs.uk"),
        team_mailbox=os.environ.get("DSR_TEAM_MAILBOX", "dsr.team@example.nhs.uk"),
        notify_api_key=os.environ.get("NOTIFY_API_KEY", ""),
        notify_email_template_id=os.environ.get("NOTIFY_EMAIL_TEMPLATE_ID", ""),
        notify_base_url=os.environ.get("NOTIFY_BASE_URL", "") or "https://api.notifications.service.gov.uk",
        draft_timeout_seconds=_env_int("DRAFT_TIMEOUT_SECONDS", 2 * 60 * 60),
        draft_warning_seconds=_env_int("DRAFT_WARNING_SECONDS", 5 * 60),
        review_days=_env_int("REVIEW_DAYS", 28),
        consent_link_days=_env_int("CONSENT_LINK_DAYS", 60),
        consent_reminder_days=_env_int("CONSENT_REMINDER_DAYS", 30),
        save_return_link_days=_env_int("SAVE_RETURN_LINK_DAYS", 7),
        consent_link_rate_limit=os.environ.get("CONSENT_LINK_RATE_LIMIT", "60 per 10 minutes"),
        submit_rate_limit=os.environ.get("SUBMIT_RATE_LIMIT", "20 per minute"),
        ratelimit_storage_uri=os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
        trusted_proxy_hops=_env_int("TRUSTED_PROXY_HOPS", 0),
        log_level=os.environ.get("LOG_LEVEL", "INFO"),
        staff_idle_minutes=_env_int("STAFF_IDLE_MINUTES", 20),
        staff_lock_minutes=_env_int("STAFF_LOCK_MINUTES", 15),
        staff_setup_link_hours=_env_int("STAFF_SETUP_LINK_HOURS", 24),
        staff_signin_rate_limit=os.environ.get("STAFF_SIGNIN_RATE_LIMIT", "30 per 10 minutes"),
        languages=tuple(code.strip().lower() for code in os.environ.get("LANGUAGES", "").split(",") if code.strip()),
        **_single_sign_on_from_env(),
    )
    for name, value in overrides.items():
        if not hasattr(settings, name):
            raise ConfigError(f"Unknown setting {name!r}")
        setattr(settings, name, value)
    _check_ranges(settings)
    _check_notify(settings)
    _check_single_sign_on(settings)
    return settings


def _check_ranges(settings: Settings) -> None:
    """Numbers that would make the portal unsafe or its mail worker fight itself stop it starting."""
    if not 1 <= settings.staff_idle_minutes <= 30:
        raise ConfigError("STAFF_IDLE_MINUTES must be between 1 and 30 (ASVS 3.3.2)")
    if not 1 <= settings.smtp_timeout_seconds < settings.mail_claim_seconds:
        raise ConfigError("MAIL_CLAIM_SECONDS must be longer than SMTP_TIMEOUT_SECONDS")
    if not 0 <= settings.trusted_proxy_hops <= 5:
        raise ConfigError("TRUSTED_PROXY_HOPS must be between 0 and 5")
    if settings.mail_retry_base_seconds < 1:
        raise ConfigError("MAIL_RETRY_BASE_SECONDS must be at least 1")


def _single_sign_on_from_env() -> dict[str, object]:
    """The `OIDC_` variables (see README: Single sign-on); all unset means no single sign-on."""
    return {
        "oidc_issuer": os.environ.get("OIDC_ISSUER", "").rstrip("/"),
        "oidc_client_id": os.environ.get("OIDC_CLIENT_ID", ""),
        "oidc_client_secret": os.environ.get("OIDC_CLIENT_SECRET", ""),
        "oidc_display_name": os.environ.get("OIDC_DISPLAY_NAME", "") or "NHSmail",
        "oidc_provider_enforces_mfa": os.environ.get("OIDC_PROVIDER_ENFORCES_MFA", "").lower() in {"1", "true"},
    }


def _check_single_sign_on(settings: Settings) -> None:
    """Half a single sign-on set-up is a mistake, not a choice: production refuses to start with one."""
    given = {
        "OIDC_ISSUER": settings.oidc_issuer,
        "OIDC_CLIENT_ID": settings.oidc_client_id,
        "OIDC_CLIENT_SECRET": settings.oidc_client_secret,
    }
    missing = [name for name, value in given.items() if not value]
    if settings.env != "production" or len(missing) == len(given):
        return
    if missing:
        raise ConfigError(f"{', '.join(missing)} must be set too, or leave every OIDC_ variable unset")
    if not settings.oidc_issuer.startswith("https://"):
        raise ConfigError("OIDC_ISSUER must be an https:// address in production")


def _check_notify(settings: Settings) -> None:
    """A Notify key without its template would fail every email for hours: production refuses to start."""
    if settings.env == "production" and settings.notify_api_key and not settings.notify_email_template_id:
        raise ConfigError("NOTIFY_EMAIL_TEMPLATE_ID must be set when NOTIFY_API_KEY is (see README: Configuration)")
