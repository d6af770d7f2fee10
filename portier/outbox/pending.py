"""The e-mail on its way: what one claim of a row sends, kept on the row until it is marked.

A worker killed after the server accepted an e-mail but before marking its row leaves the row
"sending"; the next claim cannot know whether it went out. Planned anew it could say something
else under the same Message-ID (rows queued since folded in, a renamed appointment), or be
skipped while the guest has it (the cancellation that follows then counts them as never
invited). So the first claim keeps the composed bytes and the planner's record on the row
before sending, and a claim that finds them sends exactly those again, unless something else
went out in the lane since. A refusal (the server said it did not take it) drops them: the
retry describes the appointment as it is.
"""

import base64
import email
from datetime import datetime
from email.message import Message as MimeMessage

from django.core.mail import EmailMessage
from django.utils import timezone

from portier.outbox.models import Notification, Status
from portier.outbox.registry import Message

KEY = "on_its_way"


class _Raw(MimeMessage):
    """The stored bytes, whatever the backend asks for (headers readable as usual)."""

    def __init__(self, raw: bytes):
        super().__init__()
        parsed = email.message_from_bytes(raw)
        for name, value in parsed.items():
            self[name] = value
        self.raw = raw

    def as_bytes(self, unixfrom=False, policy=None, linesep="\n"):  # type: ignore[override]
        return self.raw.replace(b"\r\n", linesep.encode())

    def as_string(self, unixfrom=False, maxheaderlen=0, policy=None, linesep="\n"):  # type: ignore[override]
        return self.as_bytes(linesep=linesep).decode("utf-8", "replace")


class StoredEmail(EmailMessage):
    def __init__(self, raw: bytes, *, from_email: str, to: list[str]):
        super().__init__(from_email=from_email, to=to)
        self.raw = raw

    def message(self, *args, **kwargs):
        return _Raw(self.raw)


def keep(row, mail: EmailMessage, decision: Message) -> bool:
    """Store what this claim sends on the row (only while the claim is ours). The bytes are
    the ones `mail` gives: its Date, Message-ID and boundaries are fixed (compose.py)."""
    raw = mail.message().as_bytes(linesep="\r\n")
    record = {
        "raw": base64.b64encode(raw).decode(),
        "from": mail.from_email,
        "to": list(mail.recipients()),
        "kind": decision.kind,
        "sent_version": decision.sent_version,
        "data": decision.data,
        "folds": list(decision.folds),
        "at": timezone.now().isoformat(),
    }
    mine = Notification.objects.filter(pk=row.pk, status=Status.SENDING, attempts=row.attempts)
    return bool(mine.update(data={**row.data, KEY: record}))


def kept(row) -> tuple[StoredEmail, Message] | None:
    """What an earlier claim sent or was about to send, if it never heard back."""
    record = row.data.get(KEY)
    if not record:
        return None
    # Something went out to this recipient in this lane since (a row due earlier after a
    # retry): ours, if it went out, came before it; sent now it would undo it. Plan anew.
    since = datetime.fromisoformat(record["at"])
    lane = Notification.objects.filter(lane=row.lane, status=Status.SENT, sent_at__gte=since)
    if lane.exclude(pk=row.pk).exists():
        return None
    decision = Message(to=record["to"], subject="", text="")
    decision.kind, decision.sent_version = record["kind"], record["sent_version"]
    decision.data, decision.folds = record["data"], record["folds"]
    raw = base64.b64decode(record["raw"])
    return StoredEmail(raw, from_email=record["from"], to=record["to"]), decision


def without(data: dict) -> dict:
    return {k: v for k, v in data.items() if k != KEY}
