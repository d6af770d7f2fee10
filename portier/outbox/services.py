"""Writing the outbox: a row per e-mail, idempotent by key, inside the caller's transaction;
the worker is woken after commit (a lost wake-up only waits for the minute's sweep)."""

import uuid
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction

from portier.lib import batch
from portier.outbox import tasks
from portier.outbox.models import Notification


def message_id() -> str:
    host = urlsplit(settings.PORTIER_BASE_URL).hostname or "portier.invalid"
    return f"<portier.{uuid.uuid4().hex}@{host}>"


def write(key: str, *, wake: bool = True, **fields) -> Notification | None:
    """Insert the row unless its key exists (a replayed change); returns it only when new.
    `wake=False`: the caller writes several rows and calls `wake_after_commit` once."""
    row, created = Notification.objects.get_or_create(
        key=key, defaults={**fields, "message_id": message_id()}
    )
    if not created:
        return None
    if wake:
        wake_after_commit()
    return row


def wake_after_commit() -> None:
    # Within a sync's page, once for the page (lib/batch.py), not once per change: each wake
    # is a task on the queue (a commit to its file on SQLite).
    batch.defer(_wake, None)


def _wake(_callers: list) -> None:
    transaction.on_commit(tasks.deliver_outbox)
