"""Graph event JSON -> RemoteEvent. Pure functions.

Identity: an occurrence or exception of a series is the series master's id (``seriesMasterId``)
plus its ``originalStart`` (Graph's ``iCalUId`` differs per occurrence); a single event is its
``iCalUId``. Rooms are attendees of ``type: resource``. Times come in UTC when the client asks
(``Prefer: outlook.timezone="UTC"``); any other zone is a Windows (or IANA) name, mapped in
zones.py. An unknown zone fails closed: the event carries a problem, the engine logs it and sends
nothing.
"""

from datetime import UTC, date, datetime

from portier.sources.base import Attendee, EventTime, RemoteEvent
from portier.sources.fields import in_range, items, obj, text
from portier.sources.microsoft.zones import UnknownZone, iana_name, zone_info

DAYS = {
    "sunday": "SU",
    "monday": "MO",
    "tuesday": "TU",
    "wednesday": "WE",
    "thursday": "TH",
    "friday": "FR",
    "saturday": "SA",
}
INDEX = {"first": "1", "second": "2", "third": "3", "fourth": "4", "last": "-1"}


def parse_instant(value: str) -> datetime:
    """Graph's DateTimeOffset ("2026-03-29T07:00:00Z", seven fractional digits at times)."""
    if not isinstance(value, str):
        raise ValueError("a time is not text")
    text = value.replace("Z", "+00:00")
    head, dot, rest = text.partition(".")
    if dot:  # fromisoformat reads at most six fractional digits
        digits = rest[: len(rest) - len(rest.lstrip("0123456789"))]
        offset = rest[len(digits) :]
        text = f"{head}.{digits[:6]}{offset}"
    return in_range(datetime.fromisoformat(text))


def parse_time(raw: dict | None, *, all_day: bool, event_zone: str) -> EventTime | None:
    """A dateTimeTimeZone: wall time in ``timeZone``. All-day events keep their date."""
    if not raw:
        return None
    if not isinstance(raw, dict):
        raise ValueError("a time is not an object")
    if not raw.get("dateTime"):
        return None
    local = parse_instant(raw["dateTime"])
    if all_day:
        return EventTime(day=local.date(), time_zone=event_zone)
    if local.tzinfo is None:
        local = local.replace(tzinfo=zone_info(text(raw, "timeZone") or "UTC"))
    return EventTime(at=local, time_zone=event_zone)


def parse_attendee(raw: dict) -> Attendee | None:
    if not isinstance(raw, dict):
        raise ValueError("an attendee is not an object")
    address = obj(raw, "emailAddress")
    email = text(address, "address").strip().lower()
    if not email:
        return None
    kind = text(raw, "type") or "required"
    return Attendee(
        email=email,
        name=text(address, "name").strip(),
        response_status=text(obj(raw, "status"), "response"),
        resource=kind == "resource",
        optional=kind == "optional",
    )


def recurrence_rule(raw: dict | None) -> tuple[str, ...]:
    """A patternedRecurrence as an RRULE line (so an invitation can say "every Tuesday")."""
    if not raw or not raw.get("pattern"):
        return ()
    pattern, limit = raw["pattern"], raw.get("range") or {}
    kind = pattern.get("type", "")
    freq = {
        "daily": "DAILY",
        "weekly": "WEEKLY",
        "absoluteMonthly": "MONTHLY",
        "relativeMonthly": "MONTHLY",
        "absoluteYearly": "YEARLY",
        "relativeYearly": "YEARLY",
    }.get(kind)
    if freq is None:
        return ()
    parts = [f"FREQ={freq}", f"INTERVAL={_number(pattern, 'interval', 1, 999, default=1)}"]
    days = [DAYS[d] for d in pattern.get("daysOfWeek") or [] if d in DAYS]
    if kind.startswith("relative") and days:
        index = INDEX.get(pattern.get("index", "first"), "1")
        parts.append("BYDAY=" + ",".join(index + d for d in days))
    elif days:
        parts.append("BYDAY=" + ",".join(days))
    if kind in ("absoluteMonthly", "absoluteYearly") and pattern.get("dayOfMonth"):
        parts.append(f"BYMONTHDAY={_number(pattern, 'dayOfMonth', 1, 31)}")
    if kind.endswith("Yearly") and pattern.get("month"):
        parts.append(f"BYMONTH={_number(pattern, 'month', 1, 12)}")
    if limit.get("type") == "numbered" and limit.get("numberOfOccurrences"):
        parts.append(f"COUNT={_number(limit, 'numberOfOccurrences', 1, 99_999)}")
    elif limit.get("type") == "endDate" and limit.get("endDate"):
        until = date.fromisoformat(limit["endDate"])
        parts.append(f"UNTIL={until:%Y%m%d}T235959Z")
    return ("RRULE:" + ";".join(parts),)


def _number(raw: dict, key: str, low: int, high: int, default: int | None = None) -> int:
    """A whole number in the range an RRULE allows (a bad one would break the invitation)."""
    value = raw.get(key) or default
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"{key} is not a number from {low} to {high}")
    return value


def parse_event(raw: dict) -> RemoteEvent:
    if not isinstance(raw, dict):
        raise ValueError("the event is not an object")
    remote_id = text(raw, "id")
    if not remote_id:
        raise ValueError("the event has no id")
    zone = iana_name(text(raw, "originalStartTimeZone"))
    all_day = raw.get("isAllDay") is True
    cancelled = raw.get("isCancelled") is True
    series_id = text(raw, "seriesMasterId")
    start = parse_time(raw.get("start"), all_day=all_day, event_zone=zone)
    if start is None and not cancelled:
        raise ValueError("the event has no start")
    original = raw.get("originalStart")
    original_start = (
        EventTime(at=parse_instant(original).astimezone(UTC), time_zone=zone)
        if original and series_id
        else None
    )
    modified = raw.get("lastModifiedDateTime")
    attendees = tuple(a for a in (parse_attendee(x) for x in items(raw, "attendees")) if a)
    return RemoteEvent(
        remote_id=remote_id,
        status="cancelled" if cancelled else "confirmed",
        # Occurrences share their series' key; Graph's iCalUId differs per occurrence.
        ical_uid=series_id or text(raw, "iCalUId"),
        series_id=series_id,
        original_start=original_start,
        title=text(raw, "subject"),
        start=start,
        end=parse_time(raw.get("end"), all_day=all_day, event_zone=zone),
        location=text(obj(raw, "location"), "displayName").strip(),
        organizer=text(obj(obj(raw, "organizer"), "emailAddress"), "address").strip().lower(),
        attendees=attendees,
        html_link=text(raw, "webLink"),
        updated=_utc(parse_instant(modified)) if modified else None,
        recurrence=recurrence_rule(raw.get("recurrence")),
    )


def _utc(at: datetime) -> datetime:
    """Graph writes "Z"; a time without an offset is read as UTC, never as local time."""
    return at if at.tzinfo is not None else at.replace(tzinfo=UTC)


def removed(event_id: str) -> RemoteEvent:
    return RemoteEvent(remote_id=event_id, status="cancelled")


def parse_event_safely(raw: dict) -> RemoteEvent:
    """One unreadable event (or one in a zone we cannot map) is skipped with a reason; the rest
    of the page goes on."""
    try:
        return parse_event(raw)
    except UnknownZone as exc:
        return _problem(raw, f"unreadable event data: {exc}")
    except (KeyError, TypeError, ValueError, AttributeError, OverflowError) as exc:
        return _problem(raw, f"unreadable event data: {type(exc).__name__}: {exc}")


def _problem(raw: object, problem: str) -> RemoteEvent:
    fields = raw if isinstance(raw, dict) else {}
    remote_id, title = fields.get("id"), fields.get("subject")
    remote_id = remote_id if isinstance(remote_id, str) else ""
    title = title[:300] if isinstance(title, str) else ""
    return RemoteEvent(remote_id=remote_id, title=title, problem=problem[:500])
