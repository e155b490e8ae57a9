"""Sending an outbox message through GOV.UK Notify instead of SMTP.

Notify sends an email from a template made in its web interface. We use one
generic template whose whole subject and body are placeholders, `((subject))`
and `((body))`, so every message is still written here, in our templates, and
translated with everything else. The outbox message id goes with it as
Notify's `reference`: a message sent twice (a worker crashed after Notify took
it) is recognisable in Notify's records, as `Message-ID` is over SMTP.
"""

from __future__ import annotations

from typing import Any

from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient
from requests import RequestException

from portal.config import Settings
from portal.models import OutboxMessage

# What a failed send raises: Notify said no (HTTPError, a subclass of APIError), or it could not be reached.
NOTIFY_ERRORS: tuple[type[BaseException], ...] = (APIError, RequestException, OSError)


class NotifyError(RuntimeError):
    """Notify refused a message: its status code, and whether it said the address itself is not valid.

    Nothing else of its answer is kept: it may quote the address.
    """

    def __init__(self, status_code: int, bad_address: bool = False) -> None:
        super().__init__(
            f"GOV.UK Notify answered {status_code}" + (" (not a valid email address)" if bad_address else "")
        )
        self.status_code = status_code
        self.bad_address = bad_address


def _says_bad_address(error: APIError) -> bool:
    """Notify's 400 for the address itself ("email_address Not a valid email address").

    Its other 400s are about our set-up (a team-only key, a service in trial mode, a
    wrong template): fixed once, they send every waiting message, so those are retried.
    """
    found = error.message
    errors = found if isinstance(found, list) else []
    return error.status_code == 400 and any(
        isinstance(each, dict)
        and each.get("error") == "ValidationError"
        and str(each.get("message", "")).startswith("email_address")
        for each in errors
    )


def is_configured(settings: Settings) -> bool:
    """Notify is used whenever an API key is set; production refuses a key without a template id."""
    return bool(settings.notify_api_key)


def client(settings: Settings) -> NotificationsAPIClient:
    """One client per delivery run: its JWT is made afresh for every request, as Notify requires."""
    return NotificationsAPIClient(
        settings.notify_api_key, base_url=settings.notify_base_url, timeout=settings.smtp_timeout_seconds
    )


def personalisation(message: OutboxMessage) -> dict[str, str]:
    return {"subject": message.subject, "body": message.body}


def send(notify: NotificationsAPIClient, settings: Settings, message: OutboxMessage) -> dict[str, Any]:
    """Send one message; returns Notify's answer (its notification id and reference)."""
    try:
        return notify.send_email_notification(  # type: ignore[no-any-return]
            email_address=message.to_address,
            template_id=settings.notify_email_template_id,
            personalisation=personalisation(message),
            reference=message.message_id,
        )
    except APIError as error:
        raise NotifyError(int(getattr(error, "status_code", 0) or 0), _says_bad_address(error)) from None
