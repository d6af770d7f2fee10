"""Appointments for the dashboard and API tests, made through the visits services."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from portier.integrations.models import Calendar, Connection
from portier.sync.models import Action, SyncLogEntry
from portier.visits.services import GuestInfo, Timing, create_appointment

BERLIN = ZoneInfo("Europe/Berlin")


def at(days: int = 3, hour: int = 10, minute: int = 0) -> datetime:
    """Local time in Berlin, `days` from today."""
    day = (datetime.now(BERLIN) + timedelta(days=days)).date()
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=BERLIN)


def appointment(host, location, *, title="Visit", start=None, minutes=60, guests=None, **fields):
    start = start or at()
    guests = (
        guests
        if guests is not None
        else [GuestInfo("ann@example.org", "Ann Arbor"), GuestInfo("ben@example.net", "Ben Bauer")]
    )
    made, _change = create_appointment(
        company=host.company,
        host=host,
        location=location,
        title=title,
        timing=Timing(
            starts_at=start, ends_at=start + timedelta(minutes=minutes), time_zone="Europe/Berlin"
        ),
        guests=guests,
        **fields,
    )
    return made


def calendar_of(user, location, *, account=None) -> Calendar:
    connection, _created = Connection.objects.get_or_create(
        company=user.company,
        user=user,
        provider="google",
        account_id=account or user.email,
        defaults={"location": location},
    )
    calendar, _created = Calendar.objects.get_or_create(
        connection=connection,
        remote_id=account or user.email,
        defaults={"name": "Work", "selected": True},
    )
    return calendar


def synced(host, location, *, calendar=None, title="Board meeting", **fields):
    calendar = calendar or calendar_of(host, location)
    made = appointment(
        host,
        location,
        title=title,
        source="google",
        connection=calendar.connection,
        calendar=calendar,
        remote_id=f"evt-{title}",
        ical_uid=f"{title}@google.com",
        html_link="https://calendar.google.com/calendar/event?eid=abc123",
        **fields,
    )
    SyncLogEntry.objects.create(
        company=host.company,
        calendar=calendar,
        appointment=made,
        remote_id=made.remote_id,
        title=made.title,
        action=Action.PICKED_UP,
    )
    return made
