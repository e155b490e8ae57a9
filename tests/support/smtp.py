"""A real SMTP server on 127.0.0.1 for the tests, which records what it receives.

It can be stopped and started again on the same port, so a test can show that
mail queued during an outage is delivered once the server is back.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller

from tests.support.postgres import free_port


@dataclass(frozen=True)
class ReceivedMail:
    """One message as the server got it: the envelope and the raw bytes."""

    mail_from: str
    rcpt_tos: list[str]
    raw: bytes

    @property
    def message(self) -> EmailMessage:
        return message_from_bytes(self.raw, policy=policy.default)  # type: ignore[return-value]

    @property
    def body(self) -> str:
        return self.message.get_content()


class _Recorder:
    def __init__(self) -> None:
        self.received: list[ReceivedMail] = []
        self.lock = threading.Lock()
        self.on_receive: Callable[[ReceivedMail], None] | None = None
        self.refusals: dict[str, str] = {}

    async def handle_RCPT(  # noqa: N802 (aiosmtpd's name)
        self, _server: Any, _session: Any, envelope: Any, address: str, _options: list[str]
    ) -> str:
        with self.lock:
            refusal = self.refusals.get(address.lower())
        if refusal:
            return refusal
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd's name)
        mail = ReceivedMail(envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.original_content))
        with self.lock:
            self.received.append(mail)
        if self.on_receive is not None:
            self.on_receive(mail)
        return "250 Message accepted for delivery"


class SMTPServer:
    """`start()`, `stop()` and `start()` again on the same port; `received` keeps everything."""

    def __init__(self, host: str = "127.0.0.1", port: int | None = None) -> None:
        self.host = host
        self.port = port or free_port()
        self._recorder = _Recorder()
        self._controller: Controller | None = None

    @property
    def received(self) -> list[ReceivedMail]:
        with self._recorder.lock:
            return list(self._recorder.received)

    @property
    def running(self) -> bool:
        return self._controller is not None

    def start(self) -> None:
        if self._controller is None:
            controller = Controller(self._recorder, hostname=self.host, port=self.port)
            controller.start()
            self._controller = controller

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def refuse(self, address: str, code: int = 550, text: str = "") -> None:
        """Answer RCPT TO for `address` with `code`: 550 "no such mailbox" for good, 450 "try later", or `text`."""
        text = text or ("5.1.1 No such user here" if code >= 500 else "4.2.1 Mailbox busy, try again later")
        with self._recorder.lock:
            self._recorder.refusals[address.lower()] = f"{code} {text}"

    def accept_again(self, address: str) -> None:
        with self._recorder.lock:
            self._recorder.refusals.pop(address.lower(), None)

    def on_receive(self, hook: Callable[[ReceivedMail], None] | None) -> None:
        """Run `hook` as each message arrives (say, to move the clock on mid-batch)."""
        self._recorder.on_receive = hook

    def clear(self) -> None:
        with self._recorder.lock:
            self._recorder.received.clear()
