"""What the world does to a source: host actions on Bob's calendar and faults, one small
driver per source simulator (Google, Microsoft). The schedule and the invariants know nothing
of the source; the world speaks to `world.driver` only.

Each driver also lists the final calendar for the model as Google-shaped items (one per
occurrence: id, recurringEventId, start, end, summary, location, attendees, organizer).
"""

import contextlib
import os
import threading
from datetime import UTC, datetime, timedelta

from django.test import Client

from portier.sources.google.simulator import FakeGoogle
from portier.sources.google.simulator.sync import list_events
from portier.sources.microsoft.simulator.contract import MicrosoftSimulator
from portier.sources.microsoft.simulator.events import iso
from portier.sources.microsoft.simulator.tls import VARIABLE
from portier.testing.fixtures import point_settings_at
from portier.testing.google import connect_google

BOB = "bob@acme.example"


class GoogleDriver:
    name = "google"
    can_hang = True

    def __init__(self, settings):
        self.settings = settings
        self.fake = FakeGoogle().start()
        point_settings_at(settings, self.fake)
        self.fake.add_account(BOB, name="Bob", time_zone="Europe/Berlin")

    def connect(self, bob):
        return connect_google(bob, self.fake, BOB)

    def stop(self) -> None:
        self.fake.stop()

    def page_size(self, size: int) -> None:
        self.settings.GOOGLE_PAGE_SIZE = size

    # -- host actions -----------------------------------------------------------------------

    def create(self, *, title, start, zone, location=None, attendees=(), count=0, organizer=""):
        more = {"recurrence": [f"RRULE:FREQ=DAILY;COUNT={count}"]} if count else {}
        if organizer:
            more["organizer"] = organizer
        if location is not None:
            more["location"] = location
        created = self.fake.create_event(
            BOB,
            summary=title,
            start=start,
            end=start + timedelta(hours=1),
            time_zone=zone,
            attendees=list(attendees),
            **more,
        )
        return created["id"]

    def update(self, event_id, *, title=None, start=None, location=None, attendees=None):
        changes = {}
        if title is not None:
            changes["summary"] = title
        if start is not None:
            changes.update(start=start, end=start + timedelta(hours=1))
        if location is not None:
            changes["location"] = location
        if attendees is not None:
            changes["attendees"] = attendees
        self.fake.update_event(BOB, event_id, **changes)

    def delete(self, event_id) -> None:
        self.fake.delete_event(BOB, event_id)

    def move_occurrence(self, series_id, original, start) -> None:
        # The occurrence may be cancelled already: then there is nothing to move.
        with contextlib.suppress(KeyError, ValueError):
            self.fake.move_instance(
                BOB, series_id, original, start=start, end=start + timedelta(hours=1)
            )

    def cancel_occurrence(self, series_id, original) -> None:
        with contextlib.suppress(KeyError, ValueError):
            self.fake.cancel_instance(BOB, series_id, original)

    # -- faults -----------------------------------------------------------------------------

    def fail(self, status, n, skip) -> None:
        reason = "rateLimitExceeded" if status == 403 else None
        self.fake.fail_next(n, status=status, reason=reason, skip=skip)

    def hang(self, n, skip) -> None:
        self.fake.hang_next(n, seconds=0.2, skip=skip)

    def cursor_gone(self, when) -> None:
        if when == "now":
            self.fake.invalidate_sync_tokens(BOB)
        else:  # the second page of the next incremental chain is answered 410
            self.fake.fail_next(1, status=410, reason="fullSyncRequired", skip=1)

    def listings(self) -> int:
        """How many event listings (pages) were asked for so far."""
        return sum(1 for r in list(self.fake.requests) if r[1].endswith("/events"))

    def slow(self, seconds: float) -> None:
        self.fake.latency = seconds

    def calm(self) -> None:
        self.fake.faults.clear()
        self.fake.latency = 0

    # -- the final calendar -----------------------------------------------------------------

    def deleted_ids(self) -> set[str]:
        """Events deleted whose deletion a replayed listing may miss: none on Google."""
        return set()

    def final_items(self, now: datetime) -> list[dict]:
        query = {"singleEvents": ["true"], "timeMin": [now.isoformat()], "maxResults": ["2500"]}
        return list_events(self.fake.store, self.fake.tokens, BOB, BOB, query)["items"]


def _ms_attendee(person) -> dict:
    if isinstance(person, dict):  # a room
        email, kind, name = person["email"], "resource", "Room"
    elif isinstance(person, tuple):
        (email, name), kind = person, "required"
    else:
        email, name, kind = person, person.partition("@")[0], "required"
    return {
        "type": kind,
        "status": {"response": "none"},
        "emailAddress": {"address": email, "name": name},
    }


class MicrosoftDriver:
    """Bob's Outlook calendar on the Microsoft simulator, connected through msal over HTTPS
    (a test CA) by the views, as its own tests do.

    Not covered: a hanging request (the simulator has one latency for all requests, no
    per-request hang: the timeout fault is skipped), events organized outside (the simulator
    shows a mailbox only the events it organizes: create_outside is skipped), and Google's 403
    rate limit (Graph throttles with 429: a 403 fault is sent as 429).
    """

    name = "microsoft"
    can_hang = False

    def __init__(self, settings):
        self.settings = settings
        self.sim = MicrosoftSimulator()
        self.sim.start()
        self.fake = self.sim.fake
        # The test CA alone, not certifi's bundle beside it: requests reads the bundle on
        # every call, and a history talks to loopback only (0.4 s a history).
        os.environ[VARIABLE] = str(self.fake.certificates.ca_file)
        for name, value in self.sim.settings(page_size=100).items():
            setattr(settings, name, value)
        settings.MICROSOFT_BACKOFF_SECONDS = 0.001
        settings.MICROSOFT_RETRIES = 2
        self.fake.add_account(BOB, name="Bob")

    def connect(self, bob):
        client = Client()
        client.force_login(bob)
        self.sim.connect(client, "microsoft", BOB)
        return bob.connections.get(provider="microsoft")

    def stop(self) -> None:
        # Each server's shutdown waits for its poll (0.5 s): both at once, and not awaited.
        for httpd in (self.fake.server.httpd, self.fake.server.web):
            threading.Thread(target=_close, args=(httpd,), daemon=True).start()
        self.fake.certificates.untrust()

    def page_size(self, size: int) -> None:
        self.settings.MICROSOFT_PAGE_SIZE = size

    # -- host actions -----------------------------------------------------------------------

    def create(self, *, title, start, zone, location="", attendees=(), count=0, organizer=""):
        if organizer:
            return None  # see the class: Graph shows no event organized elsewhere here
        event = self.fake.create_event(
            BOB,
            subject=title,
            start=start,
            end=start + timedelta(hours=1),
            location=location,
            attendees=[_ms_attendee(p) for p in attendees],
            recurrence={"type": "daily", "interval": 1, "count": count} if count else None,
        )
        return event.id

    def update(self, event_id, *, title=None, start=None, location=None, attendees=None):
        changes = {}
        if title is not None:
            changes["subject"] = title
        if start is not None:
            changes.update(start=start, end=start + timedelta(hours=1))
        if location is not None:
            changes["location"] = location
        if attendees is not None:
            changes["attendees"] = [_ms_attendee(p) for p in attendees]
        self.fake.update_event(event_id, **changes)

    def delete(self, event_id) -> None:
        self.fake.delete_event(event_id)

    def _cancelled(self, series_id, original) -> bool:
        change = self.fake.events[series_id].exceptions.get(original.strftime("%Y%m%dT%H%M%SZ"))
        return change is not None and change.cancelled

    def move_occurrence(self, series_id, original, start) -> None:
        with contextlib.suppress(KeyError):
            if not self._cancelled(series_id, original.astimezone(UTC)):
                self.fake.move_occurrence(series_id, original, start)

    def cancel_occurrence(self, series_id, original) -> None:
        with contextlib.suppress(KeyError):
            self.fake.cancel_occurrence(series_id, original)

    # -- faults -----------------------------------------------------------------------------

    def _queue(self, faults) -> None:
        # A None in the simulator's fault queue lets that request through: `skip` requests.
        with self.fake.lock:
            self.fake.faults.extend(faults)

    def fail(self, status, n, skip) -> None:
        status = 429 if status == 403 else status
        self._queue([None] * skip + [(status, 0 if status in (429, 503) else None)] * n)

    def hang(self, n, skip) -> None:
        """Not simulated (see the class)."""

    def cursor_gone(self, when) -> None:
        if when == "now":
            self.fake.invalidate_delta_tokens()
        else:  # the second page of the next delta chain is answered 410
            self._queue([None, (410, None)])

    def listings(self) -> int:
        return sum(1 for r in list(self.fake.requests) if "delta" in r[1])

    def slow(self, seconds: float) -> None:
        self.fake.latency = seconds

    def calm(self) -> None:
        self.fake.faults.clear()
        self.fake.latency = 0

    # -- the final calendar -----------------------------------------------------------------

    def deleted_ids(self) -> set[str]:
        with self.fake.lock:
            return set(self.fake.deleted)

    def final_items(self, now: datetime) -> list[dict]:
        until = now + timedelta(days=400)
        items = []
        for event in list(self.fake.events.values()):
            if event.organizer != BOB:
                continue
            shown = event.occurrences(until) if event.recurrence else [event]
            for item in shown:
                if item.end <= now:
                    continue
                items.append(
                    {
                        "id": item.id,
                        "recurringEventId": event.id if event.recurrence else "",
                        "start": {"dateTime": iso(item.start).replace("Z", "+00:00")},
                        "end": {"dateTime": iso(item.end).replace("Z", "+00:00")},
                        "summary": event.subject,
                        "location": event.location,
                        "organizer": {"email": event.organizer},
                        "attendees": [
                            {
                                "email": a["emailAddress"]["address"],
                                "resource": a.get("type") == "resource",
                            }
                            for a in event.attendees
                        ],
                    }
                )
        return items


def _close(httpd) -> None:
    httpd.shutdown()
    httpd.server_close()


DRIVERS = {"google": GoogleDriver, "microsoft": MicrosoftDriver}
