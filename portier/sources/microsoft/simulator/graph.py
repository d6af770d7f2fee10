"""Graph v1.0 as Portier calls it: /me, /me/calendars, calendarView delta (paging, delta and
skip tokens, @removed, token invalidation), events and instances, subscriptions with the
validation handshake, notifications; injected 429/503 with Retry-After."""

from __future__ import annotations

import json
import re
import secrets
import time
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING
from urllib.parse import unquote

from portier.sources.microsoft.simulator.events import Event, as_json, iso
from portier.sources.microsoft.simulator.records import Subscription
from portier.sources.microsoft.simulator.reply import Reply

if TYPE_CHECKING:
    from portier.sources.microsoft.simulator.fake import FakeMicrosoft

MAX_SUBSCRIPTION = timedelta(minutes=10_080)
DEFAULT_PAGE = 10


def _graph_error(status: int, code: str, message: str = "", headers: dict | None = None):
    return Reply(status, {"error": {"code": code, "message": message or code}}, headers=headers)


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


class Graph:
    def __init__(self, sim: FakeMicrosoft) -> None:
        self.sim = sim

    def handle(self, request: dict) -> Reply:
        """One Graph request, counted while in flight (tests check the client's limit)."""
        sim = self.sim
        with sim.lock:
            sim.in_flight += 1
            sim.max_in_flight = max(sim.max_in_flight, sim.in_flight)
        try:
            if sim.latency:
                time.sleep(sim.latency)
            return self._handle(request)
        finally:
            with sim.lock:
                sim.in_flight -= 1

    def _handle(self, request: dict) -> Reply:
        sim = self.sim
        path = request["path"].removeprefix("/v1.0")
        with sim.lock:
            sim.requests.append((request["method"], path))
        auth = request["headers"].get("authorization", "")
        account = sim.account_of_access_token(auth.removeprefix("Bearer "))
        if account is None:
            return _graph_error(401, "InvalidAuthenticationToken", "Access token has expired.")
        fault = sim.take_fault()
        if fault is not None:
            status, after = fault
            headers = {"Retry-After": str(after)} if after is not None else {}
            return _graph_error(
                status,
                "TooManyRequests" if status == 429 else "ServiceUnavailable",
                headers=headers,
            )
        prefer = request["headers"].get("prefer", "")
        zone = (re.search(r'outlook\.timezone="([^"]*)"', prefer) or [None, "UTC"])[1]
        size = int((re.search(r"odata\.maxpagesize=(\d+)", prefer) or [None, DEFAULT_PAGE])[1])
        method, query = request["method"], request["query"]
        parts = [unquote(p) for p in path.strip("/").split("/")]
        if parts == ["me"]:
            user = sim.accounts[account]
            return Reply(
                200,
                {
                    "id": user.oid,
                    "displayName": user.name,
                    "mail": user.email,
                    "userPrincipalName": user.email,
                },
            )
        if parts == ["me", "calendars"]:
            calendars = sim.accounts[account].calendars
            return Reply(
                200,
                {
                    "value": [
                        {"id": cid, "name": name, "isDefaultCalendar": n == 0, "canEdit": True}
                        for n, (cid, name) in enumerate(calendars.items())
                    ]
                },
            )
        if (
            len(parts) == 5
            and parts[:2] == ["me", "calendars"]
            and parts[3:] == ["calendarView", "delta"]
        ):
            return self.delta(account, parts[2], query, zone=zone, size=size)
        if len(parts) in (3, 4) and parts[:2] == ["me", "events"]:
            return self.event(account, parts[2], parts[3:], query, zone=zone)
        if parts[0] == "subscriptions":
            return self.subscriptions(account, method, parts[1:], request["body"])
        return _graph_error(404, "ResourceNotFound", f"no route {path}")

    # -- events ----------------------------------------------------------------------------

    def _live(self, account: str, calendar_id: str) -> list[Event]:
        return [
            e
            for e in self.sim.events.values()
            if e.calendar_id == calendar_id and e.organizer == account
        ]

    def view(self, account: str, calendar_id: str, start: datetime, end: datetime, zone: str):
        """What the calendar view shows now: id -> Graph JSON."""
        shown = {}
        for event in self._live(account, calendar_id):
            items = event.occurrences(end) if event.recurrence else [event]
            for item in items:
                if item.start < end and item.end > start:
                    shown[item.id] = as_json(item, zone=zone, base_url=self.sim.base_url)
        return dict(sorted(shown.items(), key=lambda kv: kv[1]["start"]["dateTime"]))

    def _find(self, account: str, event_id: str):
        master_id, _, key = event_id.partition("_")
        event = self.sim.events.get(master_id)
        if event is None or event.organizer != account:
            return None
        if not key:
            return event
        until = datetime.now(UTC) + timedelta(days=3650)
        return next((o for o in event.occurrences(until) if o.id == event_id), None)

    def event(self, account, event_id, rest, query, *, zone):
        with self.sim.lock:
            item = self._find(account, event_id)
            if item is None:
                return _graph_error(404, "ErrorItemNotFound", "The specified object was not found")
            if rest == ["instances"]:
                start, end = _instant(query["startDateTime"]), _instant(query["endDateTime"])
                found = [o for o in item.occurrences(end) if o.end > start and o.start < end]
                body = [as_json(o, zone=zone, base_url=self.sim.base_url) for o in found]
                return Reply(200, {"value": body})
            return Reply(200, as_json(item, zone=zone, base_url=self.sim.base_url))

    # -- delta -----------------------------------------------------------------------------

    def _link(self, calendar_id: str, name: str, token: str) -> str:
        return f"{self.sim.graph_url}/me/calendars/{calendar_id}/calendarView/delta?${name}={token}"

    def delta(self, account, calendar_id, query, *, zone, size):
        sim = self.sim
        with sim.lock:
            if "$skiptoken" in query:
                pending = sim.pages.pop(query["$skiptoken"], None)
                if pending is None:
                    return self._expired(calendar_id)
                return self._page(calendar_id, pending, size)
            if "$deltatoken" in query:
                state = sim.snapshots.get(query["$deltatoken"])
                if state is None or state["account"] != account:
                    return self._expired(calendar_id)
                start, end, seen = state["start"], state["end"], state["seen"]
            else:
                start, end = _instant(query["startDateTime"]), _instant(query["endDateTime"])
                seen = None
            now = self.view(account, calendar_id, start, end, zone)
            if seen is None:
                items = list(now.values())
            else:
                items = [body for key, body in now.items() if seen.get(key) != body["changeKey"]]
                items += [
                    {"id": key, "@removed": {"reason": "deleted"}} for key in seen if key not in now
                ]
            token = secrets.token_urlsafe(16)
            sim.snapshots[token] = {
                "account": account,
                "start": start,
                "end": end,
                "seen": {key: body["changeKey"] for key, body in now.items()},
            }
            return self._page(calendar_id, {"items": items, "delta": token}, size)

    def _page(self, calendar_id, pending, size):
        items, rest = pending["items"][:size], pending["items"][size:]
        body: dict = {"value": items}
        if rest:
            skip = secrets.token_urlsafe(16)
            self.sim.pages[skip] = {"items": rest, "delta": pending["delta"]}
            body["@odata.nextLink"] = self._link(calendar_id, "skiptoken", skip)
        else:
            body["@odata.deltaLink"] = self._link(calendar_id, "deltatoken", pending["delta"])
        return Reply(200, body)

    def _expired(self, calendar_id):
        if self.sim.expired_code == "410":
            return _graph_error(
                410,
                "resyncRequired",
                "Resync required.",
                headers={"Location": self._link(calendar_id, "deltatoken", "")},
            )
        return _graph_error(400, self.sim.expired_code, "The sync state was not found.")

    # -- subscriptions ---------------------------------------------------------------------

    def subscriptions(self, account, method, rest, raw):
        sim = self.sim
        if method == "POST" and not rest:
            body = json.loads(raw)
            expires = _instant(body["expirationDateTime"])
            if expires > datetime.now(UTC) + MAX_SUBSCRIPTION:
                return _graph_error(400, "ExtensionError", "expirationDateTime is too far")
            if len(body.get("clientState") or "") > 128:
                return _graph_error(400, "ExtensionError", "clientState is too long")
            for url in {body["notificationUrl"], body.get("lifecycleNotificationUrl") or ""}:
                if url and not self._validates(url):
                    return _graph_error(
                        400, "ValidationError", "Subscription validation request failed."
                    )
            sub = Subscription(
                id=secrets.token_hex(16),
                account=account,
                resource=body["resource"],
                client_state=body.get("clientState", ""),
                notification_url=body["notificationUrl"],
                lifecycle_url=body.get("lifecycleNotificationUrl", ""),
                expires=expires,
            )
            with sim.lock:
                sim.subscriptions[sub.id] = sub
            return Reply(201, {**body, "id": sub.id, "expirationDateTime": iso(expires)})
        sub = sim.subscriptions.get(rest[0]) if rest else None
        if sub is None or sub.account != account:
            return _graph_error(404, "ResourceNotFound", "no such subscription")
        if method == "DELETE":
            with sim.lock:
                sim.subscriptions.pop(sub.id, None)
            return Reply(204)
        if method == "PATCH":
            sub.expires = _instant(json.loads(raw)["expirationDateTime"])
            return Reply(200, {"id": sub.id, "expirationDateTime": iso(sub.expires)})
        return _graph_error(405, "MethodNotAllowed")

    def _validates(self, url: str) -> bool:
        token = "Validation: Testing client application reachability " + secrets.token_hex(4)
        status, text = self.sim.deliver(url, body=b"", query={"validationToken": token})
        self.sim.validation_answers.append((url, status, text))
        return status == 200 and text == token

    def notify(self, sub: Subscription, *, lifecycle: str = "", client_state: str = "") -> int:
        item = {
            "subscriptionId": sub.id,
            "clientState": client_state or sub.client_state,
            "subscriptionExpirationDateTime": iso(sub.expires),
            "tenantId": self.sim.TENANT_ID,
        }
        if lifecycle:
            item["lifecycleEvent"] = lifecycle
            url = sub.lifecycle_url or sub.notification_url
        else:
            item.update(
                changeType="updated",
                resource=sub.resource,
                resourceData={"@odata.type": "#Microsoft.Graph.Event"},
            )
            url = sub.notification_url
        status, _ = self.sim.deliver(url, body=json.dumps({"value": [item]}).encode(), query=None)
        return status
