"""Listing with Google's paging and sync-token rules.

What is modelled (events.list reference and the sync guide):
- ``nextPageToken`` on every page but the last, ``nextSyncToken`` only on the last one;
- a sync token returns everything changed since it was issued, deletions always included;
- ``syncToken`` cannot be combined with iCalUID, orderBy, privateExtendedProperty, q,
  sharedExtendedProperty, timeMin, timeMax or updatedMin (400);
- an invalidated or unreadable sync token answers 410 ``fullSyncRequired``;
- a full list carries no tombstones unless ``showDeleted`` (or ``updatedMin``) asks for them,
  except cancelled exceptions of a live series when ``singleEvents`` is false.

The sync token handed out on the last page is the change counter taken when the chain's
first page was served, so a change made while a client pages is never lost (it may be
seen twice). Page tokens remember the query and refuse to be used with another one.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from datetime import datetime
from zoneinfo import ZoneInfo

from .calendars import CalendarStore
from .errors import ApiError, invalid_parameter
from .events import Event, parse_rfc3339, rfc3339_ms, to_utc
from .records import DEFAULT_REMINDERS, Calendar, Entry

SYNC_FORBIDDEN = (
    "iCalUID",
    "orderBy",
    "privateExtendedProperty",
    "q",
    "sharedExtendedProperty",
    "timeMin",
    "timeMax",
    "updatedMin",
)
# Parameters that define an events.list chain (a page token is only valid for the same ones).
CHAIN_PARAMS = (*SYNC_FORBIDDEN, "syncToken", "singleEvents", "showDeleted", "timeZone")


class Tokens:
    """Opaque page and sync tokens, readable only by the fake that issued them."""

    def __init__(self):
        self.issuer = secrets.token_hex(4)

    def encode(self, kind: str, **data) -> str:
        raw = json.dumps({"k": kind, "i": self.issuer, **data}, separators=(",", ":"))
        return base64.urlsafe_b64encode(raw.encode()).decode()

    def decode(self, kind: str, token: str) -> dict | None:
        try:
            data = json.loads(base64.urlsafe_b64decode(token.encode()))
        except ValueError:
            return None
        if not isinstance(data, dict) or data.get("k") != kind or data.get("i") != self.issuer:
            return None
        return data


class Params:
    """Query parameters as the client library sends them (repeated names allowed)."""

    def __init__(self, query: dict[str, list[str]]):
        self.query = query

    def __contains__(self, name: str) -> bool:
        return name in self.query

    def get(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[-1] if values else None

    def flag(self, name: str) -> bool:
        value = self.get(name)
        if value not in (None, "true", "false"):
            raise invalid_parameter(name)
        return value == "true"

    def number(self, name: str, default: int, maximum: int) -> int:
        value = self.get(name)
        if value is None:
            return default
        try:
            number = int(value)
        except ValueError:
            raise invalid_parameter(name) from None
        if number < 1:
            raise invalid_parameter(name)
        return min(number, maximum)

    def time(self, name: str) -> datetime | None:
        value = self.get(name)
        if value is None:
            return None
        try:
            return parse_rfc3339(value)
        except ValueError:
            raise invalid_parameter(name) from None

    def zone(self, name: str, default: str) -> str:
        value = self.get(name) or default
        try:
            ZoneInfo(value)
        except (ValueError, KeyError):
            raise invalid_parameter(name) from None
        return value

    def fingerprint(self, names) -> str:
        chain = sorted((name, self.query[name]) for name in names if name in self.query)
        return hashlib.sha256(json.dumps(chain).encode()).hexdigest()[:16]


def _envelope(calendar: Calendar, entry: Entry) -> dict:
    body = {
        "kind": "calendar#events",
        "etag": f'"{int(calendar.updated.timestamp() * 1000)}"',
        "summary": calendar.summary,
        "updated": rfc3339_ms(calendar.updated),
        "timeZone": calendar.time_zone,
        "accessRole": entry.access_role,
        "defaultReminders": DEFAULT_REMINDERS if entry.access_role == "owner" else [],
    }
    if calendar.description:
        body["description"] = calendar.description
    return body


def _render(event: Event, tz: str, max_attendees: int | None) -> dict:
    body = event.resource(tz)
    attendees = body.get("attendees")
    if max_attendees is not None and attendees and len(attendees) > max_attendees:
        body["attendees"] = [person for person in attendees if person.get("self")]
        body["attendeesOmitted"] = True
    return body


def _until(store: CalendarStore, event: Event, tz: str, time_min, time_max) -> datetime:
    """How far a series is expanded: timeMax, else a horizon past now or its start."""
    if time_max is not None:
        return time_max
    now = store.now()
    return max(now, time_min or now, to_utc(event.start, tz)) + store.expansion_horizon


def _overlaps(event: Event, tz: str, time_min, time_max, until: datetime) -> bool:
    """Whether the event (for a series: any of its occurrences) meets the time window."""
    if event.recurrence:
        occurrences = event.occurrences(until, tz, since=time_min)
        return any(_overlaps(event.instance(o), tz, time_min, time_max, until) for o in occurrences)
    if time_min is not None and to_utc(event.end, tz) <= time_min:
        return False
    return time_max is None or to_utc(event.start, tz) < time_max


def list_events(store: CalendarStore, tokens: Tokens, email: str, calendar_id: str, query) -> dict:
    p = Params(query)
    with store.lock:
        calendar, entry = store.calendar_for(email, calendar_id)
        tz = calendar.time_zone
        if "syncToken" in p:
            for name in SYNC_FORBIDDEN:
                if name in p:  # [guess] reason and message; the 400 itself is documented
                    raise invalid_parameter(name, f"{name} cannot be used together with syncToken.")
        single = p.flag("singleEvents")
        show_deleted = p.flag("showDeleted")
        order_by = p.get("orderBy")
        if order_by not in (None, "startTime", "updated"):
            raise invalid_parameter("orderBy")
        if order_by == "startTime" and not single:
            message = "The requested ordering is not available for the particular query."
            raise ApiError(400, "badRequest", message)
        max_results = p.number("maxResults", 250, 2500)
        max_attendees = p.number("maxAttendees", 0, 10_000) if "maxAttendees" in p else None
        out_tz = p.zone("timeZone", tz)
        time_min, time_max, updated_min = p.time("timeMin"), p.time("timeMax"), p.time("updatedMin")
        if time_min and time_max and time_min >= time_max:
            raise ApiError(400, "timeRangeEmpty", location="timeMax")
        ical_uid, terms = p.get("iCalUID"), (p.get("q") or "").lower().split()
        fingerprint = p.fingerprint(CHAIN_PARAMS)

        after = None
        if "pageToken" in p:
            page = tokens.decode("p", p.get("pageToken"))
            if page is None or page["c"] != calendar.id or page["q"] != fingerprint:
                raise invalid_parameter("pageToken")
            since, snapshot, after = page["s"], page["n"], tuple(page["a"])
            if since is not None and page["e"] != calendar.epoch:
                raise ApiError(410)
        else:
            since, snapshot = None, store.counter
            if "syncToken" in p:
                sync = tokens.decode("s", p.get("syncToken"))
                if sync is None or sync["c"] != calendar.id or sync["e"] != calendar.epoch:
                    raise ApiError(410)
                since = sync["n"]

        incremental = since is not None
        with_deleted = incremental or show_deleted or updated_min is not None
        candidates: list[Event] = []
        for event in calendar.events.values():
            if event.recurring_event_id:
                series = calendar.events.get(event.recurring_event_id)
                live_series = series is not None and not series.cancelled
                if event.cancelled and not with_deleted and (single or not live_series):
                    continue
                candidates.append(event)
            elif event.cancelled and not with_deleted:
                continue
            elif event.recurrence and single:
                overridden = {e.id for e in store.exceptions(calendar, event.id)}
                until = _until(store, event, tz, time_min, time_max)
                for occurrence in event.occurrences(until, tz, since=time_min):
                    instance = event.instance(occurrence)
                    if instance.id not in overridden:
                        candidates.append(instance)
            else:
                candidates.append(event)

        def keep(event: Event) -> bool:
            if incremental and event.changed <= since:
                return False
            if updated_min is not None and event.updated < updated_min:
                return False
            if ical_uid is not None and event.ical_uid != ical_uid:
                return False
            if time_min or time_max:
                until = _until(store, event, tz, time_min, time_max)
                if not _overlaps(event, tz, time_min, time_max, until):
                    return False
            text = event.searchable_text()
            return all(term in text for term in terms)

        def key(event: Event) -> tuple[str, str]:
            if order_by == "startTime":
                return (to_utc(event.start, tz).isoformat(), event.id)
            if order_by == "updated":
                return (rfc3339_ms(event.updated), event.id)
            return (f"{event.changed:012d}", event.id)

        ordered = sorted((e for e in candidates if keep(e)), key=key)
        if after is not None:
            ordered = [e for e in ordered if key(e) > after]
        page_items, rest = ordered[:max_results], ordered[max_results:]

        body = _envelope(calendar, entry)
        if rest:
            last = list(key(page_items[-1]))
            body["nextPageToken"] = tokens.encode(
                "p", c=calendar.id, q=fingerprint, s=since, n=snapshot, e=calendar.epoch, a=last
            )
        else:
            body["nextSyncToken"] = tokens.encode("s", c=calendar.id, e=calendar.epoch, n=snapshot)
        body["items"] = [_render(e, out_tz, max_attendees) for e in page_items]
        return body


def list_instances(
    store: CalendarStore, tokens: Tokens, email: str, calendar_id: str, event_id: str, query
) -> dict:
    p = Params(query)
    with store.lock:
        calendar, entry = store.calendar_for(email, calendar_id)
        tz = calendar.time_zone
        series = calendar.events.get(event_id)
        if series is None or series.cancelled or not series.recurrence:
            raise ApiError(404)
        show_deleted = p.flag("showDeleted")
        max_results = p.number("maxResults", 250, 2500)
        out_tz = p.zone("timeZone", tz)
        time_min, time_max = p.time("timeMin"), p.time("timeMax")
        original_start = p.get("originalStart")
        offset = 0
        if "pageToken" in p:
            page = tokens.decode("i", p.get("pageToken"))
            if page is None or page["c"] != calendar.id or page["s"] != series.id:
                raise invalid_parameter("pageToken")
            offset = page["o"]
        until = _until(store, series, tz, time_min, time_max)
        wanted = None
        if original_start is not None:
            try:
                wanted = to_utc(parse_rfc3339(original_start), tz)
            except ValueError:
                raise invalid_parameter("originalStart") from None
        items = []
        for occurrence in series.occurrences(until, tz, since=time_min):
            instance = series.instance(occurrence)
            instance = calendar.events.get(instance.id, instance)
            if instance.cancelled and not show_deleted:
                continue
            if not _overlaps(instance, tz, time_min, time_max, until):
                continue
            if wanted is not None and to_utc(instance.original_start, tz) != wanted:
                continue
            items.append(_render(instance, out_tz, None))
        body = _envelope(calendar, entry)
        if len(items) > offset + max_results:
            body["nextPageToken"] = tokens.encode(
                "i", c=calendar.id, s=series.id, o=offset + max_results
            )
        body["items"] = items[offset : offset + max_results]
        return body


def get_event(store: CalendarStore, email: str, calendar_id: str, event_id: str, query) -> dict:
    p = Params(query)
    with store.lock:
        calendar, _entry = store.calendar_for(email, calendar_id)
        event = calendar.events.get(event_id)
        if event is None:
            try:
                event = store.instance_of(calendar, event_id)
            except KeyError:
                raise ApiError(404) from None
        return _render(event, p.zone("timeZone", calendar.time_zone), None)
