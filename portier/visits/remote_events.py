"""What a remote event means for Portier: marked or not, organized inside the company or not,
who is a guest, when it is. Plain rules over a RemoteEvent: no calendar, no source."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings

from portier.accounts.models import User
from portier.sources.base import EventTime, RemoteEvent
from portier.visits.models import GuestKind
from portier.visits.services import GuestInfo, Timing


def is_marked(event: RemoteEvent) -> bool:
    """Marked iff an attendee is the invitation address (case-insensitively)."""
    marker = settings.PORTIER_INVITE_ADDRESS.lower()
    return any(a.email.lower() == marker for a in event.attendees)


def is_organized_inside(event: RemoteEvent, *, company, own_addresses: frozenset[str]) -> bool:
    """Only events the company organized may make Portier write to guests: anyone can put an
    event on a host's calendar (an invitation lands there by default), marker included.

    Inside means the organizer is one of `own_addresses` (the host's, the calendar's own id:
    events of a secondary calendar are organized by it, the company's connected accounts), a
    user of the company, or an address at one of the company's internal domains."""
    organizer = (event.organizer or event.creator).lower()
    if not organizer:
        return True  # no other claim than the calendar's own (Google always names one)
    if organizer in own_addresses or company.is_internal_email(organizer):
        return True
    members = User.objects.filter(
        membership__company=company, is_active=True, email__iexact=organizer
    )
    return members.exists()


@dataclass(frozen=True)
class People:
    guests: list[GuestInfo]  # external guests and colleagues (kind tells them apart)

    @property
    def external(self) -> list[GuestInfo]:
        return [g for g in self.guests if g.kind == GuestKind.GUEST]


def classify_attendees(event: RemoteEvent, *, company, host_emails: set[str]) -> People:
    """Guests are the attendees minus the marker, rooms (each source's parser marks them as
    resources), the organizer, the host (the
    calendar's own account, its creator when that is the host) and those who declined;
    addresses at the company's internal domains are colleagues, listed but never invited."""
    marker = settings.PORTIER_INVITE_ADDRESS.lower()
    skip = {marker, event.organizer, *host_emails}
    if event.creator in host_emails:
        skip.add(event.creator)
    people = []
    for attendee in event.attendees:
        email = attendee.email.lower()
        if (
            email in skip
            or attendee.resource
            or attendee.organizer
            or attendee.is_self
            or attendee.response_status == "declined"
        ):
            continue
        kind = GuestKind.COLLEAGUE if company.is_internal_email(email) else GuestKind.GUEST
        people.append(GuestInfo(email=email, name=attendee.name, kind=kind))
    return People(guests=people)


def _zone(name: str, fallback: str) -> ZoneInfo:
    for candidate in (name, fallback, "UTC"):
        try:
            return ZoneInfo(candidate)
        except (ZoneInfoNotFoundError, ValueError):
            continue
    return ZoneInfo("UTC")


def timing_of(event: RemoteEvent, *, location_zone: str) -> Timing:
    """All-day events keep their dates; midnight at the location is only a sort key, so a
    date never shifts through UTC."""
    start, end = event.start, event.end or event.start
    assert start is not None, "only events with a start are placed"
    if start.day is not None:
        zone = _zone(location_zone, "UTC")
        end_day = end.day if end and end.day and end.day > start.day else None
        end_day = end_day or start.day + timedelta(days=1)
        return Timing(
            starts_at=datetime.combine(start.day, time(0), zone),
            ends_at=datetime.combine(end_day, time(0), zone),
            time_zone=start.time_zone or location_zone,
            all_day=True,
            start_date=start.day,
            end_date=end_day,
        )
    assert start.at is not None
    ends_at = end.at if end and end.at and end.at >= start.at else start.at
    return Timing(starts_at=start.at, ends_at=ends_at, time_zone=start.time_zone or location_zone)


def start_instant(when: EventTime | None, zone: str = "UTC") -> datetime | None:
    if when is None:
        return None
    if when.at is not None:
        return when.at
    assert when.day is not None, "an EventTime has an instant or a day"
    return datetime.combine(when.day, time(0), _zone(when.time_zone, zone))
