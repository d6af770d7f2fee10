"""Invitation status of guests, as the dashboard and the API show it.

`guest_statuses` is the invitations outbox's own helper; `summaries` does the same for a whole
page of appointments in one query (the list must not cost a query per row).
"""

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Q

from portier.invitations.kinds import SERIES_KINDS, Kind
from portier.invitations.services import guest_statuses as _outbox_guest_statuses
from portier.outbox.models import Notification, Status
from portier.visits.models import GuestKind

# What a person reads for an outbox status: "sending" is still "queued" to them.
SHOWN = {Status.QUEUED: "queued", Status.SENDING: "queued", Status.SENT: "sent"}


def state_of(status: str) -> str:
    return SHOWN.get(status, status)


def guest_statuses(appointment) -> dict[str, Notification]:
    """Each guest's latest e-mail about this appointment (or its series), by address."""
    return _outbox_guest_statuses(appointment)


@dataclass(frozen=True)
class Summary:
    """How far the invitations of one appointment's current guests have got."""

    guests: int
    queued: int = 0
    sent: int = 0
    failed: int = 0
    cancellations_queued: int = 0  # the guest's latest e-mail is a cancellation
    cancellations_sent: int = 0

    @property
    def pending(self) -> int:
        """Guests without any e-mail yet (held, past, or not due)."""
        told = self.queued + self.sent + self.failed
        return self.guests - told - self.cancellations_queued - self.cancellations_sent


CANCELLATIONS = (Kind.CANCELLATION, Kind.SERIES_CANCELLATION)


def _shown(row: dict) -> str:
    state = state_of(row["status"])
    if row["kind"] in CANCELLATIONS and state in ("queued", "sent"):
        return f"cancellation {state}"
    return state


def summaries(appointments) -> dict[int, Summary]:
    """Summary per appointment id. Needs each appointment's guests prefetched (current ones
    are counted); costs one query for the whole page."""
    appointments = list(appointments)
    if not appointments:
        return {}
    ids = [a.pk for a in appointments]
    series_ids = {a.series_id for a in appointments if a.series_id}
    query = Q(appointment_id__in=ids)
    if series_ids:
        query |= Q(series_id__in=series_ids, kind__in=SERIES_KINDS)
    rows = list(
        Notification.objects.filter(query)
        .shown()
        .order_by("pk")
        .values("pk", "appointment_id", "series_id", "kind", "recipient", "status")
    )
    by_appointment, by_series = defaultdict(list), defaultdict(list)
    for row in rows:
        if row["appointment_id"] is not None:
            by_appointment[row["appointment_id"]].append(row)
        if row["series_id"] is not None and row["kind"] in SERIES_KINDS:
            by_series[row["series_id"]].append(row)
    result = {}
    for appointment in appointments:
        mine = by_appointment.get(appointment.pk, [])
        if appointment.series_id:
            mine = sorted(
                {r["pk"]: r for r in mine + by_series.get(appointment.series_id, [])}.values(),
                key=lambda r: r["pk"],
            )
        latest = {r["recipient"]: r for r in mine}  # the last row per guest wins
        emails = [
            g.email
            for g in appointment.guests.all()
            if g.removed_at is None and g.kind == GuestKind.GUEST
        ]
        counts = Counter(_shown(latest[e]) for e in emails if e in latest)
        result[appointment.pk] = Summary(
            guests=len(emails),
            queued=counts["queued"],
            sent=counts["sent"],
            failed=counts["failed"],
            cancellations_queued=counts["cancellation queued"],
            cancellations_sent=counts["cancellation sent"],
        )
    return result
