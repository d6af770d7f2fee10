"""What a guest's calendar has of a series, by what they were sent (the sent rows of their lane).

A series invitation carries the whole series: its rule from the guest's first date (`anchor`),
the known dates not theirs excluded (`hidden`), the rule's dates not known excluded (`unknown`;
only once the calendar was listed completely, `listed`). A date of the series the calendar lacks
(synced, released or given back after the invitation went out) sends the series again.
"""

from datetime import UTC, datetime, timedelta

from django.conf import settings

from portier.invitations import content
from portier.invitations.kinds import Kind
from portier.outbox.models import Notification, Status
from portier.visits.models import AppointmentVersion


def sent_in_lane(lane: str) -> list:
    return list(
        Notification.objects.filter(lane=lane, status=Status.SENT).order_by("sent_at", "pk")
    )


def invitations_sent(sent: list) -> int:
    return sum(1 for row in sent if row.kind == Kind.SERIES_INVITATION)


def listed(sent: list) -> bool:
    """Whether the last series invitation was composed from a complete listing (rows from
    before this was recorded count as such)."""
    invitations = [row for row in sent if row.kind == Kind.SERIES_INVITATION]
    return not invitations or invitations[-1].data.get("listed", True)


def lacks(sent: list, appointments) -> bool:
    """Whether the guest's calendar lacks one of these dates as it is now: before the anchor,
    excluded as not theirs or not known then, cancelled for them since, or not known then and
    away from its rule time (the calendar shows it at the rule's)."""
    hidden: set[int] = set()
    anchor, unknown, seen = None, set(), set()
    for row in sent:
        if row.kind == Kind.SERIES_INVITATION:
            hidden = set(row.data.get("hidden", ()))
            anchor, unknown = row.data.get("anchor"), set(row.data.get("unknown", ()))
            seen = {int(pk) for pk in row.data.get("seen", {})}
        elif row.kind == Kind.CANCELLATION:
            hidden |= {row.appointment_id, *row.data.get("cancelled", ())}
        seen |= {int(pk) for pk in row.data.get("seen", {})}  # updates: dates they were told of
    if any(a.pk in hidden for a in appointments):
        return True
    for appointment, rule in zip(appointments, _rule_fps(appointments), strict=True):
        start = _utc(rule["starts_at"])
        if start in unknown or (anchor and start < anchor):
            return True
        moved = any(rule.get(k) != appointment.fingerprint.get(k) for k in ("starts_at", "ends_at"))
        if appointment.pk not in seen and moved:
            return True
    return False


def rule_starts(appointments) -> list[str]:
    """Each date's start as its series' rule has it (UTC, ISO), in one query."""
    return [_utc(fp["starts_at"]) for fp in _rule_fps(appointments)]


def _rule_fps(appointments) -> list[dict]:
    firsts = AppointmentVersion.objects.filter(appointment__in=appointments, number=1)
    fps = dict(firsts.values_list("appointment_id", "fingerprint"))
    return [content.rule_fp(fps.get(a.pk) or a.fingerprint, a.instance_key) for a in appointments]


def _utc(value: str) -> str:
    return datetime.fromisoformat(value).astimezone(UTC).isoformat()


def listed_until(appointment) -> datetime | None:
    """Up to when the host's calendar has been listed completely: the horizon of its last sync,
    unless a sync started since (one under way may not have listed all of a series yet)."""
    calendar = appointment.calendar
    if calendar is None or calendar.synced_at is None or calendar.sync_started_at is None:
        return None
    if calendar.synced_at < calendar.sync_started_at:
        return None
    return calendar.synced_at + timedelta(days=settings.PORTIER_SYNC_HORIZON_DAYS)
