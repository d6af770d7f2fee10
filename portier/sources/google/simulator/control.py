"""The sandbox's control API: a host's own calendar edits, over HTTP.

Google's web UI is where a real host creates and moves events; in the sandbox that is Portier's
sandbox calendar page, which runs in another process than the fake and so cannot call
``FakeGoogle``'s Python API. These endpoints are that API over HTTP. They are off unless the fake
is given a ``control_token``, and every request must carry ``Authorization: Bearer <token>``.
JSON in, JSON out; errors have Google's error body. Edits go through the same store methods as
``FakeGoogle.create_event`` and friends, so push channels are notified exactly as for any other
change.

    POST   /_sandbox/accounts                   {"email", "name"?, "time_zone"?} (idempotent)
    GET    /_sandbox/calendars/ID/events        {"items": [live single events and series]}
    POST   /_sandbox/calendars/ID/events        event fields (below) -> the event
    GET    /_sandbox/calendars/ID/events/EID    -> the event
    PATCH  /_sandbox/calendars/ID/events/EID    any event fields -> the event
    DELETE /_sandbox/calendars/ID/events/EID    -> 204

Event fields: ``summary``, ``start`` and ``end`` (ISO 8601: a date, or a date-time with or
without offset; without one it is wall time in ``time_zone``), ``time_zone``, ``location``,
``description``, ``attendees`` (e-mails or ``{"email", "displayName"}``), ``recurrence``
(RRULE lines). ``null`` removes a field on PATCH.
"""

from __future__ import annotations

import hmac
import json
from typing import TYPE_CHECKING
from urllib.parse import unquote

from .errors import ApiError

if TYPE_CHECKING:
    from .fake import FakeGoogle

CONTROL_PREFIX = "/_sandbox/"
EVENT_FIELDS = (
    "summary",
    "start",
    "end",
    "time_zone",
    "location",
    "description",
    "attendees",
    "recurrence",
)


def handle(fake: FakeGoogle, method: str, path: str, authorization: str | None, raw: bytes):
    """(status, JSON payload or None) for one control request; raises ApiError."""
    scheme, _, token = (authorization or "").partition(" ")
    expected = fake.control_token or ""
    if not expected or scheme.lower() != "bearer" or not hmac.compare_digest(token, expected):
        raise ApiError(401, "authError", "Missing or wrong sandbox control token.")
    segments = [unquote(s) for s in path[len(CONTROL_PREFIX) :].strip("/").split("/")]
    body = _body(raw) if method in ("POST", "PATCH") else {}
    try:
        return _dispatch(fake, method, segments, body)
    except KeyError as exc:
        raise ApiError(404, "notFound", f"Not found: {exc}") from None
    except (ValueError, TypeError) as exc:
        raise ApiError(400, "invalid", str(exc)) from None


def _dispatch(fake: FakeGoogle, method: str, segments: list[str], body: dict):
    match method, segments:
        case "POST", ["accounts"]:
            return 200, ensure_account(fake, body)
        case "GET", ["calendars", calendar_id, "events"]:
            return 200, {"items": list_events(fake, calendar_id)}
        case "POST", ["calendars", calendar_id, "events"]:
            return 200, fake.create_event(calendar_id, **_fields(body, creating=True))
        case "GET", ["calendars", calendar_id, "events", event_id]:
            return 200, fake.get_event(calendar_id, event_id)
        case "PATCH", ["calendars", calendar_id, "events", event_id]:
            return 200, fake.update_event(calendar_id, event_id, **_fields(body))
        case "DELETE", ["calendars", calendar_id, "events", event_id]:
            fake.delete_event(calendar_id, event_id)
            return 204, None
    raise ApiError(404)


def ensure_account(fake: FakeGoogle, body: dict) -> dict:
    email = str(body.get("email") or "").strip().lower()
    if "@" not in email:
        raise ValueError("email is required")
    with fake.lock:
        if email not in fake.store.accounts:
            fake.add_account(
                email, body.get("name") or None, time_zone=body.get("time_zone") or "UTC"
            )
        account = fake.store.accounts[email]
        return {
            "email": account.email,
            "name": account.name,
            "time_zone": account.time_zone,
            "calendar_id": email,
        }


def list_events(fake: FakeGoogle, calendar_id: str) -> list[dict]:
    """Live single events and series (not their exceptions), by start."""
    store = fake.store
    with fake.lock:
        calendar = store.calendars[calendar_id]
        events = [
            e for e in calendar.events.values() if not e.cancelled and e.recurring_event_id is None
        ]
        events.sort(key=lambda e: (e.start.isoformat(), e.id))
        return [e.resource(calendar.time_zone) for e in events]


def _fields(body: dict, *, creating: bool = False) -> dict:
    unknown = set(body) - set(EVENT_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {', '.join(sorted(unknown))}")
    fields = dict(body)
    if creating:
        if not fields.get("start"):
            raise ValueError("start is required")
        fields = {k: v for k, v in fields.items() if v is not None}
    if "attendees" in fields and fields["attendees"] is not None:
        attendees = fields["attendees"]
        if not isinstance(attendees, list):
            raise ValueError("attendees must be a list")
        fields["attendees"] = [
            a if isinstance(a, dict) else {"email": str(a).strip()} for a in attendees
        ]
    if not isinstance(fields.get("recurrence") or [], list):
        raise ValueError("recurrence must be a list of RRULE lines")
    return fields


def _body(raw: bytes) -> dict:
    try:
        body = json.loads(raw or b"{}")
    except ValueError:
        raise ApiError(400, "parseError", "Parse Error") from None
    if not isinstance(body, dict):
        raise ApiError(400, "parseError", "Parse Error")
    return body
