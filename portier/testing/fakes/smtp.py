"""An SMTP sink on loopback (aiosmtpd): keeps what it receives, and misbehaves on request.

sink = SmtpSink().start()
sink.refuse("nobody@example.org")      # 550 at RCPT TO
sink.fail_temporarily(451)             # 451 (or 421) at MAIL FROM until .recover()
sink.stop(); ...; sink.start()         # down for a while, back on the same port
sink.on_mail_from = callback           # called at MAIL FROM (a sender is about to send)
sink.on_accepted = callback            # called with each message kept, before the client
                                       # hears "250" (a sender killed here repeats it)
sink.messages                          # parsed with email.policy.default
"""

import asyncio
import email
import email.policy
import threading
import time
from dataclasses import dataclass
from email.message import EmailMessage

from aiosmtpd.controller import Controller

from portier.testing.server import free_port


@dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_tos: tuple[str, ...]
    message: EmailMessage
    raw: bytes = b""  # as it came over the wire, to tell a byte-identical repeat


class _Handler:
    def __init__(self, sink: "SmtpSink"):
        self.sink = sink

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        self.sink.connections.add(id(session))
        if self.sink.on_mail_from is not None:
            self.sink.on_mail_from()
        if self.sink.temporary_code:
            code = self.sink.temporary_code
            return f"{code} 4.3.0 Try again later"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.sink.refused:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.sink.data_delay:
            await asyncio.sleep(self.sink.data_delay)  # a slow server: a batch takes a while
        raw = envelope.original_content or envelope.content
        message = email.message_from_bytes(raw, policy=email.policy.default)
        received = Received(envelope.mail_from, tuple(envelope.rcpt_tos), message, bytes(raw))
        self.sink._store(received)
        if self.sink.on_accepted is not None:
            self.sink.on_accepted(received)
        return "250 Message accepted for delivery"


class SmtpSink:
    def __init__(self, host: str = "127.0.0.1", port: int | None = None):
        self.host = host
        self.port = port or free_port()
        self.received: list[Received] = []
        self.refused: set[str] = set()
        self.temporary_code: int | None = None
        self.data_delay = 0.0  # seconds the server takes to accept each message
        self.connections: set[int] = set()  # SMTP sessions that sent MAIL FROM
        self.on_mail_from = None  # callables: hooks for a test that kills a sender
        self.on_accepted = None
        self._controller: Controller | None = None
        self._lock = threading.Lock()
        self._arrived = threading.Condition(self._lock)

    # life cycle -----------------------------------------------------------------------------
    def start(self) -> "SmtpSink":
        if self._controller is None:
            self._controller = Controller(_Handler(self), hostname=self.host, port=self.port)
            self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def running(self) -> bool:
        return self._controller is not None

    # faults ---------------------------------------------------------------------------------
    def refuse(self, address: str) -> None:
        """Answer RCPT TO for this address with 550 (a permanent failure)."""
        self.refused.add(address.lower())

    def fail_temporarily(self, code: int = 451) -> None:
        """Answer MAIL FROM with a temporary error (451, or 421) until recover()."""
        assert 400 <= code < 500
        self.temporary_code = code

    def recover(self) -> None:
        self.temporary_code = None
        self.refused.clear()

    # what arrived ---------------------------------------------------------------------------
    def _store(self, received: Received) -> None:
        with self._arrived:
            self.received.append(received)
            self._arrived.notify_all()

    @property
    def messages(self) -> list[EmailMessage]:
        with self._lock:
            return [r.message for r in self.received]

    def messages_to(self, address: str) -> list[EmailMessage]:
        address = address.lower()
        with self._lock:
            return [r.message for r in self.received if address in map(str.lower, r.rcpt_tos)]

    def clear(self) -> None:
        with self._lock:
            self.received.clear()
            self.connections.clear()

    def wait_for(self, count: int, timeout: float = 5.0) -> list[EmailMessage]:
        """Block until at least `count` messages arrived (for a real worker in another thread)."""
        deadline = time.monotonic() + timeout
        with self._arrived:
            while len(self.received) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"{len(self.received)} of {count} messages arrived")
                self._arrived.wait(left)
            return [r.message for r in self.received]
