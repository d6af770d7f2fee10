"""Where a marked event's appointment goes, its series, and the hold for a wrong code."""

from portier.integrations.models import Calendar
from portier.locations.placement import resolve_location
from portier.sources.base import CalendarClient, RemoteEvent
from portier.sync import log as sync_log
from portier.sync import notices, reasons
from portier.sync.models import Action
from portier.visits.models import Appointment, Series


def placement_of(calendar: Calendar, event: RemoteEvent, appointment: Appointment | None) -> dict:
    """Where the visit takes place: the event's location code, else the connection's
    integration location. A wrong code holds the appointment where it is (or would be)."""
    connection = calendar.connection
    resolution = resolve_location(connection.company, event.location, event.title)
    if resolution.invalid:
        location = appointment.location if appointment else connection.location
        return {"location": location, "location_code": "", "held_code": resolution.code}
    if resolution.location is not None:
        return {"location": resolution.location, "location_code": resolution.code, "held_code": ""}
    if appointment is not None and not appointment.location_code and not appointment.held_code:
        # Placed without a code before: it stays where it is (an admin changing the
        # integration location later does not move booked visits).
        return {"location": appointment.location, "location_code": "", "held_code": ""}
    return {"location": connection.location, "location_code": "", "held_code": ""}


def held(calendar: Calendar, event: RemoteEvent, appointment: Appointment) -> None:
    """Log the hold and tell the host, once per event and wrong code."""
    appointment.refresh_from_db(fields=["held_code"])
    if not appointment.held_code:
        return
    sync_log.record(
        calendar=calendar,
        action=Action.HELD,
        remote_id=event.remote_id,
        title=appointment.title,
        code=reasons.UNKNOWN_CODE,
        params={"code": appointment.held_code},
        appointment=appointment,
    )
    notices.invalid_code(calendar=calendar, appointment=appointment, event=event)


def series_of(
    calendar: Calendar,
    event: RemoteEvent,
    host,
    provider: CalendarClient | None = None,
    title: str = "",
) -> Series:
    """The event's series, its title (as guests read it: `title`) and rule kept current."""
    title = title or event.title
    company = calendar.connection.company
    series, created = Series.objects.get_or_create(
        company=company,
        ical_uid=event.ical_uid or event.series_id,
        defaults={
            "host": host,
            "remote_id": event.series_id,
            "title": title[:300],
            "time_zone": (event.start.time_zone if event.start else "") or calendar.time_zone,
        },
    )
    changed = []
    if series.title != title[:300]:
        series.title = title[:300]
        changed.append("title")
    if not series.rule and provider is not None:
        # Occurrences do not carry the rule; the series itself does (one request per series),
        # so the guest's invitation can say "every Tuesday" and its .ics can repeat.
        master = provider.get_event(calendar.remote_id, event.series_id)
        if master is not None and master.recurrence:
            series.rule = "\n".join(master.recurrence)
            changed.append("rule")
    if changed:
        series.save(update_fields=[*changed, "updated"])
    return series
