"""Google event JSON -> RemoteEvent. Pure functions, tested against real captures."""

from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from portier.sources.base import Attendee, EventKind, EventTime, RemoteEvent

# Rooms and other resources are attendees at these domains (Google Workspace), sometimes
# without "resource": true.
ROOM_DOMAINS = ("resource.calendar.google.com",)


def is_room(email: str) -> bool:
    domain = email.rpartition("@")[2]
    return any(domain == d or domain.endswith("." + d) for d in ROOM_DOMAINS)


def _parse_datetime(value: str) -> datetime:
    # RFC 3339: Python 3.11's fromisoformat reads offsets and "Z".
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def parse_time(raw: dict | None, default_zone: str = "") -> EventTime | None:
    if not raw:
        return None
    zone = raw.get("timeZone") or default_zone
    if "date" in raw and raw["date"]:
        return EventTime(day=date.fromisoformat(raw["date"]), time_zone=zone)
    if raw.get("dateTime"):
        at = _parse_datetime(raw["dateTime"])
        if at.tzinfo is None:  # "floating" time: read it in the given zone
            try:
                at = at.replace(tzinfo=ZoneInfo(zone or "UTC"))
            except ZoneInfoNotFoundError:
                at = at.replace(tzinfo=ZoneInfo("UTC"))
        return EventTime(at=at, time_zone=zone)
    return None


def parse_attendee(raw: dict) -> Attendee | None:
    email = (raw.get("email") or "").strip().lower()
    if not email:
        return None
    return Attendee(
        email=email,
        name=(raw.get("displayName") or "").strip(),
        response_status=raw.get("responseStatus", ""),
        resource=bool(raw.get("resource")) or is_room(email),
        organizer=bool(raw.get("organizer")),
        is_self=bool(raw.get("self")),
        optional=bool(raw.get("optional")),
    )


def parse_event(raw: dict, calendar_zone: str = "") -> RemoteEvent:
    status = raw.get("status", "confirmed")
    updated = raw.get("updated")
    attendees = tuple(a for a in (parse_attendee(x) for x in raw.get("attendees", [])) if a)
    return RemoteEvent(
        remote_id=raw["id"],
        status=status,
        ical_uid=raw.get("iCalUID", ""),
        series_id=raw.get("recurringEventId", ""),
        original_start=parse_time(raw.get("originalStartTime"), calendar_zone),
        title=raw.get("summary", ""),
        start=parse_time(raw.get("start"), calendar_zone),
        end=parse_time(raw.get("end"), calendar_zone),
        location=raw.get("location", ""),
        organizer=((raw.get("organizer") or {}).get("email") or "").lower(),
        creator=((raw.get("creator") or {}).get("email") or "").lower(),
        attendees=attendees,
        html_link=raw.get("htmlLink", ""),
        updated=_parse_datetime(updated) if updated else None,
        recurrence=tuple(raw.get("recurrence", [])),
        # A cancelled master that still shows its rule is a deleted series; the usual
        # tombstone (only an id) is recognised by the engine, which knows its series.
        kind=EventKind.SERIES_DELETED
        if status == "cancelled" and raw.get("recurrence")
        else EventKind.EVENT,
    )


def parse_event_safely(raw: dict, calendar_zone: str = "") -> RemoteEvent:
    """One unreadable event must not stop a calendar's sync: it comes back with a problem
    (logged for the host) and the rest of the page goes on."""
    try:
        return parse_event(raw, calendar_zone)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        remote_id = str(raw.get("id", "")) if isinstance(raw, dict) else ""
        title = str(raw.get("summary", ""))[:300] if isinstance(raw, dict) else ""
        return RemoteEvent(
            remote_id=remote_id,
            title=title,
            problem=f"unreadable event data: {type(exc).__name__}: {exc}"[:500],
        )
