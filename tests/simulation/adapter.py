"""Every call from the simulation into Portier, in one place.

The simulation drives Portier only through these functions and reads its state only through
them, so that a restructuring (the outbox as its own app, reconciliation out of the sync
engine) is followed here and nowhere else.
"""

import contextlib
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from portier.integrations.models import Calendar
from portier.outbox import delivery
from portier.outbox.models import Notification, Status
from portier.sources.base import ProviderError
from portier.sync import tasks as sync_tasks
from portier.visits.models import Appointment, Series

# What a sync may raise when Google misbehaves; the worker logs it and a later sync repeats.
SYNC_ERRORS = (ProviderError,)


def push(calendar_id: int) -> None:
    """A push notification arrived: what the webhook does (mark due, enqueue a sync)."""
    sync_tasks.request_sync(calendar_id)


def sync(calendar_id: int) -> None:
    """One sync as the worker runs it (the poll, or the task a notification enqueued)."""
    # Recorded on the calendar; the next poll or notification repeats it.
    with contextlib.suppress(*SYNC_ERRORS):
        sync_tasks.run_sync(calendar_id)


def deliver(now: datetime | None = None) -> None:
    """One run of the outbox worker."""
    delivery.deliver_due(now=now or timezone.now())


def sweep(now: datetime | None = None) -> None:
    """The periodic sweep: rows of dead workers back to the queue, then send what is due."""
    now = now or timezone.now()
    delivery.release_stuck(now)
    delivery.deliver_due(now=now)


def claim_and_abandon() -> bool:
    """A worker claims the first due row and dies before sending it."""
    pk = Notification.objects.due(timezone.now()).order_by("pk").values_list("pk", flat=True)
    first = pk.first()
    return first is not None and delivery.claim(first, timezone.now()) is not None


def sync_lease_held(calendar_id: int) -> bool:
    until = Calendar.objects.filter(pk=calendar_id).values_list("sync_lease_until", flat=True)
    value = until.first()
    return value is not None and value > timezone.now()


# -- reading the state for the invariants ----------------------------------------------------


@dataclass(frozen=True)
class OutboxRow:
    pk: int
    kind: str
    status: str
    recipient: str
    next_attempt_at: datetime
    message_id: str
    last_error: str
    remote_id: str  # of the appointment's event, or of the series


def outbox_rows() -> list[OutboxRow]:
    rows = Notification.objects.select_related("appointment", "series").order_by("pk")
    return [
        OutboxRow(
            r.pk,
            r.kind,
            r.status,
            r.recipient,
            r.next_attempt_at,
            r.message_id,
            r.last_error,
            (r.series.remote_id if r.series else r.appointment.remote_id if r.appointment else ""),
        )
        for r in rows
    ]


def next_due() -> datetime | None:
    """When the next queued row becomes due (None: nothing queued)."""
    row = Notification.objects.filter(status=Status.QUEUED).order_by("next_attempt_at").first()
    return row.next_attempt_at if row else None


def unsent(among=None) -> list[int]:
    """Rows queued or being sent (of `among`, when given)."""
    rows = Notification.objects.filter(status__in=(Status.QUEUED, Status.SENDING))
    if among is not None:
        rows = rows.filter(pk__in=among)
    return list(rows.values_list("pk", flat=True))


def next_possible(among) -> datetime:
    """When a worker can next do something for these rows: one comes due, or a dead worker's
    claim on one lapses."""
    rows = Notification.objects.filter(pk__in=among)
    times = [
        r.next_attempt_at if r.status == Status.QUEUED else r.claimed_at + delivery.LEASE
        for r in rows.only("status", "next_attempt_at", "claimed_at")
        if r.status == Status.QUEUED or r.claimed_at is not None
    ]
    return min(times, default=timezone.now())


def sending_count() -> int:
    return Notification.objects.filter(status=Status.SENDING).count()


@dataclass(frozen=True)
class AppointmentRow:
    pk: int
    remote_id: str
    series_remote_id: str
    series_pk: int | None
    status: str
    held_code: str
    title: str
    starts_at: datetime
    ends_at: datetime
    location_name: str
    location_text: str
    guests: frozenset[str]
    version: int


def appointments() -> list[AppointmentRow]:
    found = []
    for a in Appointment.objects.select_related("location", "series").prefetch_related("guests"):
        guests = frozenset(
            g.email for g in a.guests.all() if g.removed_at is None and g.kind == "guest"
        )
        found.append(
            AppointmentRow(
                pk=a.pk,
                remote_id=a.remote_id,
                series_remote_id=a.series.remote_id if a.series else "",
                series_pk=a.series_id,
                status=a.status,
                held_code=a.held_code,
                title=a.title,
                starts_at=a.starts_at,
                ends_at=a.ends_at,
                location_name=a.location.name,
                location_text=a.location_text,
                guests=guests,
                version=a.version,
            )
        )
    return found


def series_remote_ids() -> dict[int, str]:
    return dict(Series.objects.values_list("pk", "remote_id"))


def state_mark() -> tuple:
    """Changes when a sync changed anything guests could hear of (to tell a quiet sync)."""
    return (
        Notification.objects.count(),
        sum(Appointment.objects.values_list("version", flat=True)),
        Appointment.objects.count(),
    )


def close_connections() -> None:
    """Before a fork: the child must open its own connections, never share the parent's."""
    from django.db import connections

    connections.close_all()
