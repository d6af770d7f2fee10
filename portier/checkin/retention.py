"""Retention: a location's guests' personal data is erased `retention_days` after the visit.

What goes: the guest's name, e-mail (replaced by `erased-<id>@invalid`, since the address is a
required field, unique per appointment), phone, company, language, the pre-registration and
house-rules acceptance records, the personal link (a new random token, so the old link is dead),
and the same in the outbox (recipient, key, lane; a host notice's text about the guest) and in
the appointment's recorded guest lists (fingerprints). What stays: the appointment, its other
guests, and the visit's times (arrival, departure), so the visitor log still shows that somebody
("erased") was on site when, with whom.

The daily task (`checkin.tasks.erase_expired_guests`) calls `erase_due`; each location with
something erased gets one `RetentionRun` audit row.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from portier.checkin.models import RetentionRun
from portier.invitations.kinds import GUEST_KINDS, SERIES_KINDS
from portier.locations.models import Location
from portier.outbox.models import Notification, Status
from portier.visits.models import (
    Appointment,
    AppointmentVersion,
    Guest,
    GuestKind,
    new_guest_token,
)

log = logging.getLogger(__name__)
BATCH = 500


def placeholder(guest) -> str:
    return f"erased-{guest.pk}@invalid"


def cutoff(location, now):
    return now - timedelta(days=location.retention_days)


def due_guests(location, now):
    """Guests (not colleagues) of the location's appointments that ended before the cutoff."""
    return Guest.objects.filter(
        appointment__location=location,
        kind=GuestKind.GUEST,
        erased_at__isnull=True,
        appointment__ends_at__lt=cutoff(location, now),
    )


def _replace_in_fingerprint(fp: dict, old: str, new: str) -> bool:
    guests = fp.get("guests")
    if not old or not guests or old not in guests:
        return False
    fp["guests"] = sorted(new if email == old else email for email in guests)
    return True


def _erase_notifications(guest, appointment, old: str, new: str) -> int:
    query = Q(guest=guest)
    series_dates_left = False
    if appointment.series_id and old:
        # Series-wide e-mails name one date's guest row but concern all of this guest's dates:
        # they go with the last one (the outbox still needs them to know who was invited).
        query |= Q(series_id=appointment.series_id, recipient=old, kind__in=SERIES_KINDS)
        series_dates_left = (
            Guest.objects.filter(
                appointment__series_id=appointment.series_id, email=old, erased_at__isnull=True
            )
            .exclude(pk=guest.pk)
            .exists()
        )
    count = 0
    for row in Notification.objects.filter(query):
        if row.kind in SERIES_KINDS and series_dates_left:
            continue
        if row.kind not in GUEST_KINDS:
            row.data = {"erased": True}  # it held the guest's name and address for the host
        elif old:  # a walk-in without an address has nothing to replace
            row.recipient = new
            row.key = row.key.replace(old, new)
            row.lane = row.lane.replace(old, new)
        if row.status in (Status.QUEUED, Status.SENDING):
            row.status = Status.SKIPPED
            row.last_error = "the guest's data was erased (retention)"
        row.save(update_fields=["recipient", "key", "lane", "data", "status", "last_error"])
        count += 1
    return count


def erase_guest(guest, *, now) -> int:
    """Erase one guest's personal data (in the caller's transaction); returns outbox rows
    touched."""
    old, new = guest.email, placeholder(guest)
    # Fresh: another guest of the same appointment may have just changed its fingerprint.
    appointment = Appointment.objects.get(pk=guest.appointment_id)
    if _replace_in_fingerprint(appointment.fingerprint, old, new):
        appointment.save(update_fields=["fingerprint"])
    for version in AppointmentVersion.objects.filter(appointment=appointment):
        if _replace_in_fingerprint(version.fingerprint, old, new):
            version.save(update_fields=["fingerprint"])
    touched = _erase_notifications(guest, appointment, old, new)
    Guest.objects.filter(pk=guest.pk).update(
        email=new,
        name="",
        phone="",
        company_name="",
        language="",
        registered_at=None,
        rules_accepted_at=None,
        token=new_guest_token(),
        erased_at=now,
    )
    return touched


def erase_location(location, *, now) -> RetentionRun | None:
    """Erase what is due at one location; an audit row when anything was."""
    erased = touched = 0
    while True:
        with transaction.atomic():
            batch = list(due_guests(location, now).select_for_update().order_by("pk")[:BATCH])
            for guest in batch:
                touched += erase_guest(guest, now=now)
            erased += len(batch)
        if len(batch) < BATCH:
            break
    if not erased:
        return None
    run = RetentionRun.objects.create(
        company=location.company,
        location=location,
        ran_at=now,
        cutoff=cutoff(location, now),
        guests_erased=erased,
        notifications_erased=touched,
    )
    log.info("retention: erased %s guests at location %s", erased, location.pk)
    return run


def erase_due(*, now=None) -> list[RetentionRun]:
    """Every location's due guests; one audit row per location that had any."""
    now = now or timezone.now()
    runs = []
    for location in Location.objects.select_related("company").order_by("pk"):
        run = erase_location(location, now=now)
        if run is not None:
            runs.append(run)
    return runs
