"""Checking guests in and out, at the front desk, a kiosk or through the API.

`check_in` opens a window around the visit: from the location's `check_in_opens_minutes` before
the start until `check_in_grace_minutes` after the end. A code for another location, another
day, a cancelled or held visit is refused with a sentence that says where and when the visit
is. Checking in twice is harmless: the second call returns the first visit and writes nothing,
so the arrival notice (one outbox row per recipient, keyed by the visit) goes out once.
"""

import re
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portier.checkin import notices
from portier.checkin.models import Via, Visit
from portier.invitations.formatting import day as format_day
from portier.lib import dates
from portier.lib.errors import DomainError
from portier.visits.models import CHECK_IN_ALPHABET, Guest, GuestKind

CODE_LENGTH = 8
_CODE_RE = re.compile(rf"[{CHECK_IN_ALPHABET}]{{{CODE_LENGTH}}}")


class CheckInRefused(DomainError):
    """The code is known but the guest cannot check in (out) here and now; the message says
    where and when the visit is."""


class UnknownCode(DomainError):
    """No guest of this company has this code."""


def normalize_code(text: str) -> str:
    """The 8-character check-in code from what was typed or scanned: any case, spaces or dashes
    between groups, or the QR code's text (the code itself; a link ending in it also works)."""
    text = (text or "").strip()
    if "/" in text:
        text = [part for part in text.split("/") if part.strip()][-1:] or [""]
        text = text[0]
    return re.sub(r"[\s\-]", "", text).upper()[:40]


def find_guest(company, code_or_qr_text: str) -> Guest:
    """The company's guest with this check-in code; UnknownCode if there is none (a colleague,
    a guest taken off the list, or erased data count as none)."""
    code = normalize_code(code_or_qr_text)
    guest = None
    if _CODE_RE.fullmatch(code):
        guest = (
            Guest.objects.filter(
                check_in_code=code,
                appointment__company=company,
                kind=GuestKind.GUEST,
                erased_at__isnull=True,
            )
            .select_related("appointment__location", "appointment__host")
            .first()
        )
    if guest is None:
        raise UnknownCode(_("No guest has the code %(code)s.") % {"code": code[:12] or "–"})
    return guest


def _fresh(guest: Guest) -> Guest:
    """The guest and its appointment as they are now (a caller's copy may be stale)."""
    return Guest.objects.select_related(
        "appointment__location", "appointment__host", "appointment__created_by"
    ).get(pk=guest.pk)


def window(guest: Guest) -> tuple[datetime, datetime]:
    """When the guest may check in: before the start by the location's opening minutes, until
    the end plus its grace."""
    appointment = guest.appointment
    location = appointment.location
    opens = appointment.starts_at - timedelta(minutes=location.check_in_opens_minutes)
    closes = appointment.ends_at + timedelta(minutes=location.check_in_grace_minutes)
    return opens, closes


def _when(value: datetime, location) -> dict:
    local = timezone.localtime(value, location.zone)
    return {"date": format_day(local.date()), "time": dates.time(local)}


def _where_and_when(guest: Guest) -> dict:
    appointment = guest.appointment
    start = _when(appointment.starts_at, appointment.location)
    if appointment.all_day:
        start["time"] = _("all day")
    return {"name": guest.name or guest.email, "location": appointment.location.name, **start}


def ensure_can_check_in(guest: Guest, *, location, now: datetime) -> None:
    """Raise CheckInRefused, saying why and where and when the visit is, unless the guest may
    check in at `location` at `now`."""
    appointment = guest.appointment
    facts = _where_and_when(guest)
    if guest.removed_at is not None:
        raise CheckInRefused(
            _("%(name)s is no longer on the guest list of the visit on %(date)s.") % facts
        )
    if appointment.is_cancelled:
        raise CheckInRefused(
            _("The visit of %(name)s at %(location)s on %(date)s at %(time)s was cancelled.")
            % facts
        )
    if appointment.is_held:
        raise CheckInRefused(
            _(
                "The visit of %(name)s on %(date)s is not confirmed: its calendar event names "
                "an unknown location code."
            )
            % facts
        )
    if guest.declined_at is not None:
        raise CheckInRefused(
            _("%(name)s declined the visit at %(location)s on %(date)s at %(time)s.") % facts
        )
    if appointment.location_id != location.pk:
        raise CheckInRefused(
            _("This code is for a visit at %(location)s on %(date)s at %(time)s, not at %(here)s.")
            % {**facts, "here": location.name}
        )
    opens, closes = window(guest)
    today = timezone.localdate(now, location.zone)
    if now < opens:
        if timezone.localdate(opens, location.zone) != today:
            raise CheckInRefused(
                _("This code is for a visit at %(location)s on %(date)s at %(time)s, not today.")
                % facts
            )
        raise CheckInRefused(
            _(
                "Too early: the visit of %(name)s at %(location)s starts at %(time)s; check-in "
                "opens at %(opens)s."
            )
            % {**facts, "opens": _when(opens, location)["time"]}
        )
    if now > closes:
        raise CheckInRefused(
            _(
                "The visit of %(name)s at %(location)s was on %(date)s at %(time)s; check-in "
                "closed at %(closes)s."
            )
            % {**facts, "closes": _when(closes, location)["time"]}
        )
    if location.requires_preregistration and guest.registered_at is None:
        raise CheckInRefused(
            _(
                "%(name)s has not pre-registered yet, and %(location)s requires it: the guest "
                "can do it on the visit page linked in the invitation, or at the kiosk."
            )
            % facts
        )


def check_in(
    guest: Guest, *, location, via: str = Via.DESK, by=None, kiosk=None, now=None
) -> tuple[Visit, bool]:
    """Check the guest in at `location`: (visit, True) the first time; (the same visit, False)
    if already checked in, without checking the window again and without telling anybody
    twice. Raises CheckInRefused."""
    existing = Visit.objects.filter(guest=guest).first()
    if existing is not None:
        return existing, False
    now = now or timezone.now()
    guest = _fresh(guest)
    ensure_can_check_in(guest, location=location, now=now)
    try:
        with transaction.atomic():
            visit = Visit.objects.create(
                guest=guest,
                location=location,
                checked_in_at=now,
                checked_in_via=via,
                checked_in_by=by,
                kiosk=kiosk,
            )
            notices.arrival(visit, checked_in_by=by)
    except IntegrityError:  # checked in at the same moment elsewhere
        return Visit.objects.get(guest=guest), False
    return visit, True


def ensure_checked_in(guest: Guest) -> Visit:
    visit = Visit.objects.filter(guest=guest).first()
    if visit is None:
        raise CheckInRefused(
            _("%(name)s has not checked in, so cannot check out.")
            % {"name": guest.name or guest.email}
        )
    return visit


def ensure_checked_in_here(visit: Visit, location) -> None:
    if location is not None and visit.location_id != location.pk:
        raise CheckInRefused(
            _("%(name)s is checked in at %(location)s, not at %(here)s.")
            % {
                "name": visit.guest.name or visit.guest.email,
                "location": visit.location.name,
                "here": location.name,
            }
        )


@transaction.atomic
def check_out(guest: Guest, *, via: str = Via.DESK, by=None, at=None, location=None) -> Visit:
    """Check the guest out at `at` (default now; the front desk may give the real time of a
    guest who left without checking out). Checking out twice keeps the first time. With
    `location` (a front desk), only a guest checked in there."""
    visit = ensure_checked_in(guest)
    ensure_checked_in_here(visit, location)
    visit = Visit.objects.select_for_update().get(pk=visit.pk)
    if visit.checked_out_at is not None:
        return visit
    at = at or timezone.now()
    if at < visit.checked_in_at:
        raise CheckInRefused(
            _("%(name)s checked in at %(time)s; the check-out cannot be earlier.")
            % {
                "name": guest.name or guest.email,
                "time": _when(visit.checked_in_at, visit.location)["time"],
            }
        )
    if at > timezone.now() + timedelta(minutes=1):
        raise CheckInRefused(_("A check-out cannot be in the future."))
    visit.checked_out_at = at
    visit.checked_out_via = via
    visit.left_without_checkout = False
    visit.save(update_fields=["checked_out_at", "checked_out_via", "left_without_checkout"])
    return visit


@transaction.atomic
def mark_left_without_checkout(guest: Guest, *, location=None) -> Visit:
    """The guest left and nobody knows when: off the on-site list, marked as such."""
    visit = Visit.objects.select_for_update().get(pk=ensure_checked_in(guest).pk)
    ensure_checked_in_here(visit, location)
    if visit.checked_out_at is None and not visit.left_without_checkout:
        visit.left_without_checkout = True
        visit.checked_out_via = Via.DESK
        visit.save(update_fields=["left_without_checkout", "checked_out_via"])
    return visit
