"""Google event JSON -> RemoteEvent. Pure functions, tested against real captures."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from portier.sources.base import Attendee, EventKind, EventTime, RemoteEvent
from portier.sources.fields import in_range, items, obj, text

# Rooms and other resources are attendees at these domains (Google Workspace), sometimes
# without "resource": true.
ROOM_DOMAINS = ("resource.calendar.google.com",)


def is_room(email: str) -> bool:
    domain = email.rpartition("@")[2]
    return any(domain == d or domain.endswith("." + d) for d in ROOM_DOMAINS)


def _parse_datetime(value: str) -> datetime:
    # RFC 3339: Python 3.11's fromisoformat reads offsets and "Z".
    if not isinstance(value, str):
        raise ValueError("a time is not text")
    return in_range(datetime.fromisoformat(value.replace("Z", "+00:00")))


def _instant(value: str) -> datetime:
    """Google writes "Z"; a time without an offset is read as UTC, never as local time."""
    at = _parse_datetime(value)
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def parse_time(raw: dict | None, default_zone: str = "") -> EventTime | None:
    if not raw:
        return None
    if not isinstance(raw, dict):
        raise ValueError("a time is not an object")
    zone = text(raw, "timeZone") or default_zone
    if raw.get("date"):
        return EventTime(day=in_range(date.fromisoformat(text(raw, "date"))), time_zone=zone)
    if raw.get("dateTime"):
        at = _parse_datetime(raw["dateTime"])
        if at.tzinfo is None:  # "floating" time: read it in the given zone
            try:
                at = at.replace(tzinfo=ZoneInfo(zone or "UTC"))
            except (ZoneInfoNotFoundError, ValueError):  # ValueError: "../etc" and the like
                at = at.replace(tzinfo=ZoneInfo("UTC"))
        return EventTime(at=at, time_zone=zone)
    return None


def parse_attendee(raw: dict) -> Attendee | None:
    if not isinstance(raw, dict):
        raise ValueError("an attendee is not an object")
    email = text(raw, "email").strip().lower()
    if not email:
        return None
    return Attendee(
        email=email,
        name=text(raw, "displayName").strip(),
        response_status=text(raw, "responseStatus"),
        resource=bool(raw.get("resource")) or is_room(email),
        organizer=bool(raw.get("organizer")),
        is_self=bool(raw.get("self")),
        optional=bool(raw.get("optional")),
    )


def parse_event(raw: dict, calendar_zone: str = "") -> RemoteEvent:
    if not isinstance(raw, dict):
        raise ValueError("the event is not an object")
    remote_id = text(raw, "id")
    if not remote_id:
        raise ValueError("the event has no id")
    status = text(raw, "status") or "confirmed"
    start = parse_time(raw.get("start"), calendar_zone)
    if start is None and status != "cancelled":
        raise ValueError("the event has no start")  # only a deleted event's tombstone has none
    updated = raw.get("updated")
    attendees = tuple(a for a in (parse_attendee(x) for x in items(raw, "attendees")) if a)
    recurrence = items(raw, "recurrence")
    if not all(isinstance(line, str) for line in recurrence):
        raise ValueError("recurrence is not a list of text")
    return RemoteEvent(
        remote_id=remote_id,
        status=status,
        ical_uid=text(raw, "iCalUID"),
        series_id=text(raw, "recurringEventId"),
        original_start=parse_time(raw.get("originalStartTime"), calendar_zone),
        title=text(raw, "summary"),
        start=start,
        end=parse_time(raw.get("end"), calendar_zone),
        location=text(raw, "location"),
        organizer=text(obj(raw, "organizer"), "email").lower(),
        creator=text(obj(raw, "creator"), "email").lower(),
        attendees=attendees,
        html_link=text(raw, "htmlLink"),
        updated=_instant(updated) if updated else None,
        recurrence=tuple(recurrence),
        # A cancelled master that still shows its rule is a deleted series; the usual
        # tombstone (only an id) is recognised by the engine, which knows its series.
        kind=EventKind.SERIES_DELETED if status == "cancelled" and recurrence else EventKind.EVENT,
    )


def parse_event_safely(raw: dict, calendar_zone: str = "") -> RemoteEvent:
    """One unreadable event must not stop a calendar's sync: it comes back with a problem
    (logged for the host) and the rest of the page goes on."""
    try:
        return parse_event(raw, calendar_zone)
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as exc:
        fields = raw if isinstance(raw, dict) else {}
        remote_id, title = fields.get("id"), fields.get("summary")
        remote_id = remote_id if isinstance(remote_id, str) else ""
        title = title[:300] if isinstance(title, str) else ""
        return RemoteEvent(
            remote_id=remote_id,
            title=title,
            problem=f"unreadable event data: {type(exc).__name__}: {exc}"[:500],
        )
