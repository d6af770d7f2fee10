"""What reconcile needs to know about one calendar, made before a page's transaction opens.

`context_for` turns the calendar into a `visits.reconcile.Context` (no network); `fetch_rules`
is the one provider call a page needs besides the page itself (the rule of each series it
places occurrences of), made before the transaction so that a slow provider never holds the
database's write lock.
"""

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings

from portier.integrations.models import Calendar, Connection
from portier.sources.base import CalendarClient, RemoteEvent
from portier.sync.models import SyncedEvent
from portier.visits.models import Appointment, Series
from portier.visits.reconcile import Context
from portier.visits.remote_events import is_marked


def horizon_end(now: datetime) -> datetime:
    return now + timedelta(days=settings.PORTIER_SYNC_HORIZON_DAYS)


def host_emails(calendar: Calendar) -> frozenset[str]:
    connection = calendar.connection
    return frozenset({connection.account_id.lower(), connection.user.email.lower()})


def context_for(
    calendar: Calendar, *, now: datetime, rules: Mapping[str, str] | None = None
) -> Context:
    connection = calendar.connection
    accounts = Connection.objects.filter(company=connection.company, user__is_active=True)
    own = {a.lower() for a in accounts.values_list("account_id", flat=True)}
    hosts = host_emails(calendar)
    return Context(
        company=connection.company,
        host=connection.user,
        default_location=connection.location,
        time_zone=calendar.time_zone,
        source=connection.provider,
        now=now,
        horizon_end=horizon_end(now),
        host_emails=hosts,
        own_addresses=frozenset({*hosts, calendar.remote_id.lower(), *own}),
        origin={"connection": connection, "calendar": calendar},
        series_rules=rules if rules is not None else {},
        speaks_for=lambda appointment, event: _speaks_for(calendar, appointment, event),
        successor=lambda appointment: _successor(calendar, appointment),
    )


def fetch_rules(
    provider: CalendarClient,
    calendar: Calendar,
    events: Iterable[RemoteEvent],
    rules: dict[str, str],
) -> None:
    """Add to `rules` the rule of each series whose marked occurrences these events are and
    whose Series row has none yet (one request per series and sync)."""
    wanted = {
        event.series_id: event.ical_uid or event.series_id
        for event in events
        if event.series_id
        and event.series_id not in rules
        and not (event.problem or event.is_cancelled or event.start is None)
        and is_marked(event)
    }
    if not wanted:
        return
    known = set(
        Series.objects.filter(company_id=calendar.connection.company_id)
        .filter(ical_uid__in=wanted.values())
        .exclude(rule="")
        .values_list("ical_uid", flat=True)
    )
    for series_id, ical_uid in wanted.items():
        if ical_uid in known:
            continue
        master = provider.get_event(calendar.remote_id, series_id)
        rules[series_id] = "\n".join(master.recurrence) if master and master.recurrence else ""


def _speaks_for(calendar: Calendar, appointment: Appointment, event: RemoteEvent) -> bool:
    """Which calendar speaks for a shared appointment: the organizer's, else the first."""
    owner_id = appointment.calendar_id
    if owner_id is None or owner_id == calendar.pk:
        return True
    owner_calendar = Calendar.objects.select_related("connection__user").filter(pk=owner_id).first()
    owner_link_alive = SyncedEvent.objects.filter(
        calendar_id=owner_id, appointment=appointment, marked=True
    ).exists()
    if owner_calendar is None or not owner_link_alive:
        return True
    organizer = event.organizer.lower()
    return organizer in host_emails(calendar) and organizer not in host_emails(owner_calendar)


def _successor(calendar: Calendar, appointment: Appointment) -> Mapping[str, Any] | None:
    """Another calendar of the company that still shows the appointment takes it over; None
    when there is none (then the appointment is cancelled)."""
    others = (
        SyncedEvent.objects.filter(appointment=appointment, marked=True)
        .exclude(calendar=calendar)
        .select_related("calendar__connection")
    )
    heir = next((o for o in others if o.calendar.connection.is_active), None)
    if heir is None:
        return None
    if appointment.calendar_id != calendar.pk:
        return {}
    return {
        "calendar": heir.calendar,
        "connection": heir.calendar.connection,
        "remote_id": heir.remote_id,
    }
