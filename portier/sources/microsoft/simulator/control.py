"""The sandbox's control API: a host's own calendar edits, over HTTP, in the same dialect as the
sandbox Google's (portier/sources/google/simulator/control.py), so that Portier's sandbox
calendar page edits either. Off unless the simulator has a ``control_token``; every request
carries ``Authorization: Bearer <token>``. Each change notifies the account's subscriptions, as
Outlook would.

    POST   /_sandbox/accounts                   {"email", "name"?, "time_zone"?} (idempotent)
    GET    /_sandbox/calendars/ID/events        {"items": [single events and series]}
    POST   /_sandbox/calendars/ID/events        summary, start, end, time_zone, location,
                                                attendees, recurrence -> the event
    GET    /_sandbox/calendars/ID/events/EID    -> the event
    PATCH  /_sandbox/calendars/ID/events/EID    any of those fields -> the event
    DELETE /_sandbox/calendars/ID/events/EID    -> 204
"""

from __future__ import annotations

import hmac
import json
import threading
from datetime import datetime
from typing import TYPE_CHECKING
from urllib.parse import unquote
from zoneinfo import ZoneInfo

from portier.sources.microsoft.simulator.events import Event, recurrence_of, rrule_of
from portier.sources.microsoft.simulator.reply import Reply
from portier.sources.microsoft.zones import iana_name, windows_name

if TYPE_CHECKING:
    from portier.sources.microsoft.simulator.fake import FakeMicrosoft

PREFIX = "/_sandbox/"


def _error(status: int, message: str) -> Reply:
    return Reply(status, {"error": {"code": status, "message": message}})


def handle(sim: FakeMicrosoft, request: dict) -> Reply:
    scheme, _, token = request["headers"].get("authorization", "").partition(" ")
    expected = sim.control_token
    if not expected or scheme.lower() != "bearer" or not hmac.compare_digest(token, expected):
        return _error(401, "Missing or wrong sandbox control token.")
    parts = [unquote(p) for p in request["path"][len(PREFIX) :].strip("/").split("/")]
    body = json.loads(request["body"] or b"{}") if request["method"] in ("POST", "PATCH") else {}
    try:
        with sim.lock:
            return _dispatch(sim, request["method"], parts, body)
    except KeyError as exc:
        return _error(404, f"Not found: {exc}")
    except (ValueError, TypeError) as exc:
        return _error(400, str(exc))


def _dispatch(sim: FakeMicrosoft, method: str, parts: list[str], body: dict) -> Reply:
    match method, parts:
        case "POST", ["accounts"]:
            return Reply(200, ensure_account(sim, body))
        case "GET", ["calendars", calendar_id, "events"]:
            events = [e for e in sim.events.values() if e.calendar_id == calendar_id]
            events.sort(key=lambda e: (e.start, e.id))
            return Reply(200, {"items": [resource(sim, e) for e in events]})
        case "POST", ["calendars", calendar_id, "events"]:
            account = _owner(sim, calendar_id)
            zone = body.get("time_zone") or account.time_zone
            event = sim.create_event(
                account.email,
                subject=body.get("summary") or "",
                start=_moment(body["start"], zone),
                end=_moment(body["end"], zone),
                zone=windows_name(zone),
                attendees=_attendees(body.get("attendees") or []),
                location=body.get("location") or "",
                recurrence=recurrence_of(body.get("recurrence") or []),
                calendar_id=calendar_id,
            )
            _changed(sim, account.email)
            return Reply(200, resource(sim, event))
        case "GET", ["calendars", calendar_id, "events", event_id]:
            return Reply(200, resource(sim, _event(sim, calendar_id, event_id)))
        case "PATCH", ["calendars", calendar_id, "events", event_id]:
            event = _event(sim, calendar_id, event_id)
            zone = body.get("time_zone") or _owner(sim, calendar_id).time_zone
            fields: dict = {}
            if "summary" in body:
                fields["subject"] = body["summary"] or ""
            if body.get("start"):
                fields["start"] = _moment(body["start"], zone)
            if body.get("end"):
                fields["end"] = _moment(body["end"], zone)
            if "location" in body:
                fields["location"] = body["location"] or ""
            if "attendees" in body:
                fields["attendees"] = _attendees(body["attendees"] or [])
            if "recurrence" in body:
                fields["recurrence"] = recurrence_of(body["recurrence"] or [])
            if "time_zone" in body:
                fields["zone"] = windows_name(zone)
            sim.update_event(event_id, **fields)
            _changed(sim, event.organizer)
            return Reply(200, resource(sim, event))
        case "DELETE", ["calendars", calendar_id, "events", event_id]:
            owner = _event(sim, calendar_id, event_id).organizer
            sim.delete_event(event_id)
            _changed(sim, owner)
            return Reply(204)
    return _error(404, "no such control request")


def ensure_account(sim: FakeMicrosoft, body: dict) -> dict:
    email = str(body.get("email") or "").strip().lower()
    if "@" not in email:
        raise ValueError("email is required")
    if email not in sim.accounts:
        sim.add_account(email, name=body.get("name") or email)
        sim.accounts[email].time_zone = body.get("time_zone") or "UTC"
    account = sim.accounts[email]
    return {
        "email": account.email,
        "name": account.name,
        "time_zone": account.time_zone,
        "calendar_id": sim.default_calendar(email),
    }


def resource(sim: FakeMicrosoft, event: Event) -> dict:
    """The event in the control dialect (Google-shaped), times in the account's zone."""
    zone = ZoneInfo(iana_name(event.zone) or "UTC")
    body = {
        "id": event.id,
        "summary": event.subject,
        "start": {"dateTime": event.start.astimezone(zone).isoformat()},
        "end": {"dateTime": event.end.astimezone(zone).isoformat()},
        "location": event.location,
        "attendees": [
            {
                "email": a["emailAddress"]["address"],
                **({"displayName": a["emailAddress"]["name"]} if a["emailAddress"]["name"] else {}),
            }
            for a in event.attendees
        ],
    }
    if event.recurrence:
        body["recurrence"] = rrule_of(event.recurrence)
    return body


def _event(sim: FakeMicrosoft, calendar_id: str, event_id: str) -> Event:
    """An event of that calendar only: one user's page must not reach another's events."""
    event = sim.events[event_id]
    if event.calendar_id != calendar_id:
        raise KeyError(event_id)
    return event


def _owner(sim: FakeMicrosoft, calendar_id: str):
    for account in sim.accounts.values():
        if calendar_id in account.calendars:
            return account
    raise KeyError(calendar_id)


def _moment(text: str, zone: str) -> datetime:
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo(zone))


def _attendees(items: list) -> list[dict]:
    found = []
    for item in items:
        email = item["email"] if isinstance(item, dict) else str(item)
        name = item.get("displayName", "") if isinstance(item, dict) else ""
        found.append(
            {
                "type": "required",
                "status": {"response": "none"},
                "emailAddress": {"address": email.strip(), "name": name},
            }
        )
    return found


def _changed(sim: FakeMicrosoft, email: str) -> None:
    """Notify the account's subscriptions after this request (Outlook pushes within seconds)."""
    threading.Thread(target=sim.notify, args=(email,), daemon=True).start()
