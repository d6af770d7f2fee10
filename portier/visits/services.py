"""Creating, changing and cancelling appointments. Every change goes through here.

Each call records the guest-visible fingerprint and, when it changed, a new version; then it
hands an AppointmentChange to the invitations outbox in the same transaction.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from django.db import transaction
from django.utils import timezone

from portier.lib import batch
from portier.visits.models import (
    Appointment,
    AppointmentStatus,
    AppointmentVersion,
    Guest,
    GuestKind,
)

TITLE_MAX = 300


@dataclass(frozen=True)
class GuestInfo:
    email: str
    name: str = ""
    kind: str = GuestKind.GUEST


@dataclass(frozen=True)
class Timing:
    """When: aware instants for timed events; local dates (end exclusive) for all-day ones."""

    starts_at: datetime
    ends_at: datetime
    time_zone: str = ""
    all_day: bool = False
    start_date: date | None = None
    end_date: date | None = None


@dataclass(frozen=True)
class AppointmentChange:
    """What one service call did to an appointment, as the outbox needs to know it."""

    appointment_id: int
    kind: str  # created | updated | cancelled | unchanged
    version: int
    before: dict | None
    after: dict
    added: tuple[str, ...] = ()  # e-mails of guests (kind guest) added
    removed: tuple[str, ...] = ()  # e-mails of guests removed
    changed: tuple[str, ...] = ()  # fingerprint keys that differ, guests excluded
    released: bool = False  # was held for an invalid code, now placed
    reason: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def guest_visible(self) -> bool:
        return bool(self.changed)


def compute_fingerprint(appointment: Appointment, guests: list[Guest] | None = None) -> dict:
    """What a guest sees. A change here (guests aside) is worth an update e-mail. `guests`:
    the appointment's guest rows when the caller has them (saves reading them again)."""
    location = appointment.location
    rows = appointment.guests.all() if guests is None else guests
    emails = sorted(g.email for g in rows if g.removed_at is None and g.kind == "guest")
    return {
        "title": appointment.title,
        # Always in UTC: the same instant must give the same text, whatever zone it came in.
        "starts_at": appointment.starts_at.astimezone(UTC).isoformat(),
        "ends_at": appointment.ends_at.astimezone(UTC).isoformat(),
        "all_day": appointment.all_day,
        "start_date": appointment.start_date.isoformat() if appointment.start_date else None,
        "end_date": appointment.end_date.isoformat() if appointment.end_date else None,
        "time_zone": appointment.time_zone,
        "location_id": location.pk,
        "location_name": location.name,
        "location_address": location.address,
        "location_text": appointment.location_text,  # the room or detail typed in the event
        "description": appointment.description,  # manual appointments only
        "guests": emails,
    }


def _diff(before: dict | None, after: dict) -> tuple[str, ...]:
    if before is None:
        return ()
    return tuple(k for k in after if k != "guests" and before.get(k) != after.get(k))


def _apply_timing(appointment: Appointment, timing: Timing) -> None:
    appointment.starts_at = timing.starts_at
    appointment.ends_at = timing.ends_at
    appointment.time_zone = timing.time_zone
    appointment.all_day = timing.all_day
    appointment.start_date = timing.start_date
    appointment.end_date = timing.end_date


def _wanted(guests: list[GuestInfo]) -> dict[str, GuestInfo]:
    wanted = {}
    for info in guests:
        email = info.email.strip().lower()
        if email and email not in wanted:
            wanted[email] = info
    return wanted


def _new_guests(guests: list[GuestInfo]) -> list[Guest]:
    """The guest rows of a new appointment, not saved yet (one INSERT for all of them)."""
    return [
        Guest(email=email, name=info.name[:200], kind=info.kind)
        for email, info in _wanted(guests).items()
    ]


def _sync_guests(
    appointment: Appointment, guests: list[GuestInfo]
) -> tuple[list, list, list[Guest]]:
    """Make the appointment's guest list equal to `guests`; returns added and removed e-mails
    and the appointment's guest rows as they are now."""
    wanted = _wanted(guests)
    existing = {g.email: g for g in appointment.guests.all()}
    added, removed, new = [], [], []
    now = timezone.now()
    for email, info in wanted.items():
        guest = existing.get(email)
        if guest is None:
            new.append(
                Guest(appointment=appointment, email=email, name=info.name[:200], kind=info.kind)
            )
            if info.kind == GuestKind.GUEST:
                added.append(email)
            continue
        was_invitable = guest.removed_at is None and guest.kind == GuestKind.GUEST
        changed = []
        if guest.removed_at is not None:
            guest.removed_at = None
            changed.append("removed_at")
            if guest.declined_at is not None:  # taken off and invited again: a new answer
                guest.declined_at = None
                changed.append("declined_at")
        # A name the guest corrected themselves (pre-registration) wins over the calendar's.
        if info.name and guest.name != info.name[:200] and guest.registered_at is None:
            guest.name = info.name[:200]
            changed.append("name")
        if guest.kind != info.kind:
            guest.kind = info.kind
            changed.append("kind")
        if changed:
            guest.save(update_fields=changed)
        is_invitable = guest.kind == GuestKind.GUEST
        if is_invitable and not was_invitable:
            added.append(email)
        elif was_invitable and not is_invitable:
            removed.append(email)
    gone = [g for email, g in existing.items() if email not in wanted and g.removed_at is None]
    for guest in gone:
        guest.removed_at = now
        if guest.kind == GuestKind.GUEST:
            removed.append(guest.email)
    if gone:
        Guest.objects.filter(pk__in=[g.pk for g in gone]).update(removed_at=now)
    if new:
        Guest.objects.bulk_create(new)
    return added, removed, [*existing.values(), *new]


def _insert_versions(versions: list[AppointmentVersion]) -> None:
    AppointmentVersion.objects.bulk_create(versions)


def _record(
    appointment: Appointment,
    change: AppointmentChange,
    guests: list[Guest] | None = None,
    *,
    new: bool = False,
) -> AppointmentChange:
    from portier.contacts.services import remember_guests
    from portier.invitations import services as invitations

    guests = list(appointment.guests.all()) if guests is None else guests
    invitations.appointment_changed(appointment=appointment, change=change, guests=guests, new=new)
    if change.kind != "cancelled":
        remember_guests(appointment, guests)  # every invited guest becomes a contact of the host
    return change


@transaction.atomic
def create_appointment(
    *,
    company,
    host,
    location,
    title: str,
    timing: Timing,
    guests: list[GuestInfo],
    description: str = "",
    held_code: str = "",
    **source_fields,
) -> tuple[Appointment, AppointmentChange]:
    """source_fields: source, connection, calendar, remote_id, ical_uid, instance_key,
    html_link, series, location_text (synced appointments)."""
    appointment = Appointment(
        company=company,
        host=host,
        location=location,
        title=title.strip()[:TITLE_MAX],
        description=description,
        held_code=held_code,
        **source_fields,
    )
    _apply_timing(appointment, timing)
    rows = _new_guests(guests)
    appointment.fingerprint = compute_fingerprint(appointment, rows)
    appointment.save()
    for guest in rows:
        guest.appointment = appointment
    Guest.objects.bulk_create(rows)
    added = [g.email for g in rows if g.kind == GuestKind.GUEST]
    batch.defer(
        _insert_versions,
        AppointmentVersion(appointment=appointment, number=1, fingerprint=appointment.fingerprint),
    )
    change = AppointmentChange(
        appointment_id=appointment.pk,
        kind="created",
        version=1,
        before=None,
        after=appointment.fingerprint,
        added=tuple(added),
    )
    return appointment, _record(appointment, change, rows, new=True)


@transaction.atomic
def update_appointment(
    *,
    appointment: Appointment,
    guests: list[GuestInfo] | None = None,
    timing: Timing | None = None,
    reactivate: bool = False,
    **fields,
) -> AppointmentChange:
    """Apply what changed. fields: title, location, description, held_code, host, and the
    source fields. A cancelled appointment stays cancelled unless reactivate=True (the marker
    came back), which invites its guests anew."""
    appointment = (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("company", "location")  # the fingerprint's and the outbox's
        .get(pk=appointment.pk)
    )
    before = appointment.fingerprint or compute_fingerprint(appointment)
    was_held = appointment.is_held
    was_cancelled = appointment.is_cancelled
    if "title" in fields:
        fields["title"] = fields["title"].strip()[:TITLE_MAX]
    for key, value in fields.items():
        setattr(appointment, key, value)
    if timing is not None:
        _apply_timing(appointment, timing)
    if was_cancelled and reactivate:
        appointment.status = AppointmentStatus.ACTIVE
        appointment.cancelled_at = None
    if guests is None:
        added, removed, rows = [], [], list(appointment.guests.all())
    else:
        added, removed, rows = _sync_guests(appointment, guests)
    after = compute_fingerprint(appointment, rows)
    revived = was_cancelled and reactivate
    changed = _diff(before, after)
    if (
        not changed
        and not added
        and not removed
        and not revived
        and was_held == appointment.is_held
    ):
        appointment.save()  # source fields (link, calendar) may have changed all the same
        return AppointmentChange(appointment.pk, "unchanged", appointment.version, before, after)
    appointment.version += 1
    appointment.fingerprint = after
    appointment.save()  # the fields, the version and the fingerprint in one UPDATE
    batch.defer(
        _insert_versions,
        AppointmentVersion(appointment=appointment, number=appointment.version, fingerprint=after),
    )
    change = AppointmentChange(
        appointment_id=appointment.pk,
        kind="created" if revived else "updated",
        version=appointment.version,
        before=None if revived else before,
        after=after,
        added=tuple(added),
        removed=tuple(removed),
        changed=changed,
        released=was_held and not appointment.is_held,
    )
    return _record(appointment, change, rows)


@transaction.atomic
def cancel_appointment(*, appointment: Appointment, reason: str = "") -> AppointmentChange:
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if appointment.is_cancelled:
        return AppointmentChange(
            appointment.pk, "unchanged", appointment.version, None, appointment.fingerprint
        )
    appointment.status = AppointmentStatus.CANCELLED
    appointment.cancelled_at = timezone.now()
    appointment.version += 1
    appointment.save(update_fields=["status", "cancelled_at", "version", "updated"])
    batch.defer(
        _insert_versions,
        AppointmentVersion(
            appointment=appointment, number=appointment.version, fingerprint=appointment.fingerprint
        ),
    )
    change = AppointmentChange(
        appointment_id=appointment.pk,
        kind="cancelled",
        version=appointment.version,
        before=appointment.fingerprint,
        after=appointment.fingerprint,
        reason=reason,
    )
    return _record(appointment, change)
