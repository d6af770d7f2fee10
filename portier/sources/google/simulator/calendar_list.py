"""The calendar list (``calendarList.list`` / ``.get``) and ``calendars.get``."""

from __future__ import annotations

from .calendars import CalendarStore
from .errors import ApiError, invalid_parameter
from .records import ACCESS_ROLES, DEFAULT_REMINDERS, Calendar, Entry
from .sync import Params, Tokens


def calendar_resource(calendar: Calendar) -> dict:
    body = {
        "kind": "calendar#calendar",
        "etag": f'"{int(calendar.updated.timestamp() * 1000)}"',
        "id": calendar.id,
        "summary": calendar.summary,
        "timeZone": calendar.time_zone,
        "conferenceProperties": {"allowedConferenceSolutionTypes": ["hangoutsMeet"]},
    }
    if calendar.description:
        body["description"] = calendar.description
    return body


def entry_resource(calendar: Calendar, entry: Entry) -> dict:
    etag = f'"{1_600_000_000_000_000 + entry.changed}"'
    if entry.deleted:
        return {
            "kind": "calendar#calendarListEntry",
            "etag": etag,
            "id": calendar.id,
            "deleted": True,
        }
    body = calendar_resource(calendar)
    body.update(
        kind="calendar#calendarListEntry",
        etag=etag,
        colorId="14" if entry.primary else "7",
        backgroundColor="#9fe1e7" if entry.primary else "#42d692",
        foregroundColor="#000000",
        selected=True,
        accessRole=entry.access_role,
        defaultReminders=DEFAULT_REMINDERS if entry.access_role == "owner" else [],
    )
    if entry.primary:
        body["notificationSettings"] = {
            "notifications": [
                {"type": kind, "method": "email"}
                for kind in ("eventCreation", "eventChange", "eventCancellation", "eventResponse")
            ]
        }
        body["primary"] = True
    return body


def list_calendar_list(store: CalendarStore, tokens: Tokens, email: str, query) -> dict:
    p = Params(query)
    with store.lock:
        account = store.accounts[email]
        if "syncToken" in p and "minAccessRole" in p:
            raise invalid_parameter("minAccessRole")
        max_results = p.number("maxResults", 100, 250)
        min_role = p.get("minAccessRole")
        if min_role is not None and min_role not in ACCESS_ROLES:
            raise invalid_parameter("minAccessRole")
        show_deleted = p.flag("showDeleted")
        if "pageToken" in p:
            page = tokens.decode("l", p.get("pageToken"))
            if page is None or page["a"] != email:
                raise invalid_parameter("pageToken")
            since, snapshot, offset = page["s"], page["n"], page["o"]
        else:
            since, snapshot, offset = None, store.counter, 0
            if "syncToken" in p:
                sync = tokens.decode("ls", p.get("syncToken"))
                if sync is None or sync["a"] != email:
                    raise ApiError(410)
                since = sync["n"]
        entries = sorted(account.entries.values(), key=lambda e: not e.primary)
        if since is not None:
            entries = [e for e in entries if e.changed > since]
        elif not show_deleted:
            entries = [e for e in entries if not e.deleted]
        if min_role is not None:
            rank = ACCESS_ROLES.index(min_role)
            entries = [e for e in entries if ACCESS_ROLES.index(e.access_role) >= rank]
        body = {"kind": "calendar#calendarList", "etag": f'"p{store.counter}"'}
        chunk = entries[offset : offset + max_results]
        if len(entries) > offset + max_results:
            body["nextPageToken"] = tokens.encode(
                "l", a=email, s=since, n=snapshot, o=offset + max_results
            )
        else:
            body["nextSyncToken"] = tokens.encode("ls", a=email, n=snapshot)
        body["items"] = [entry_resource(store.calendars[e.calendar_id], e) for e in chunk]
        return body


def get_calendar_list_entry(store: CalendarStore, email: str, calendar_id: str) -> dict:
    with store.lock:
        calendar, entry = store.calendar_for(email, calendar_id)
        return entry_resource(calendar, entry)


def get_calendar(store: CalendarStore, email: str, calendar_id: str) -> dict:
    with store.lock:
        calendar, _entry = store.calendar_for(email, calendar_id)
        return calendar_resource(calendar)
