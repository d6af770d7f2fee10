"""The home page once onboarding is done: the user's visitors today and the next days, and
for reception who is expected and who is on site at their locations today."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from portier.checkin import states
from portier.checkin.access import front_desk_locations
from portier.checkin.models import Visit
from portier.visits.models import AppointmentStatus, Guest

DAYS = 7  # today and the six after it


@dataclass
class Day:
    day: date
    guests: list = field(default_factory=list)  # (guest, state)


@dataclass
class Desk:
    location: object
    expected: list  # (guest, state) of today's guests not checked in yet
    on_site: list  # visits


def _zone(user):
    location = getattr(user, "primary_location", None)
    return location.zone if location is not None else timezone.get_current_timezone()


def host_days(user, *, now=None) -> list[Day]:
    """The user's own visitors (as host), by day at each visit's location."""
    now = now or timezone.now()
    zone = _zone(user)
    today = timezone.localtime(now, zone).date()
    start = datetime.combine(today, time(0), zone)
    end = start + timedelta(days=DAYS)
    guests = (
        Guest.objects.invitable()
        .filter(
            appointment__host=user,
            appointment__company=user.company,
            appointment__status=AppointmentStatus.ACTIVE,
            appointment__held_code="",
            appointment__ends_at__gt=start,
            appointment__starts_at__lt=end,
        )
        .select_related("appointment__location", "visit")
        .order_by("appointment__starts_at", "name", "email")[:200]
    )
    days: dict[date, Day] = {}
    for guest in guests:
        appointment = guest.appointment
        local = timezone.localtime(appointment.starts_at, appointment.location.zone).date()
        key = max(local, today)  # a visit that began yesterday and lasts into today: today
        days.setdefault(key, Day(key)).guests.append((guest, states.visit_state(guest)))
    return sorted(days.values(), key=lambda d: d.day)


def desks(user, *, now=None) -> list[Desk]:
    """Reception: each of their locations' guests expected today and those on site."""
    now = now or timezone.now()
    result = []
    for location in front_desk_locations(user).order_by("name"):
        today = timezone.localtime(now, location.zone).date()
        expected = [
            (guest, states.visit_state(guest))
            for guest in Guest.objects.expected_at(location, today)
            .filter(visit__isnull=True, declined_at__isnull=True)
            .select_related("appointment__host")[:200]
        ]
        on_site = list(Visit.objects.on_site(location)[:200])
        result.append(Desk(location, expected, on_site))
    return result
