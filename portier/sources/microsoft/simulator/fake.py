"""A loopback Microsoft identity platform + Graph: its state and its Python API.

Tests (and sandbox mode) drive it from Python: accounts, events, faults; Portier talks to it over
HTTPS exactly as to Microsoft (server.py, identity.py, graph.py).
"""

from __future__ import annotations

import secrets
import threading
from datetime import UTC, datetime, timedelta

from portier.sources.microsoft.simulator.events import Event, Exception_, new_id, stamp
from portier.sources.microsoft.simulator.records import Account, Grant, Subscription
from portier.sources.microsoft.simulator.server import Server
from portier.sources.microsoft.simulator.tls import Certificates


class FakeMicrosoft:
    TENANT_ID = "9188040d-6c67-4c5b-b112-36a304b66dad"

    def __init__(
        self,
        client_id: str = "",
        client_secret: str = "",
        *,
        web_port: int = 0,
        control_token: str = "",
    ) -> None:
        self.client_id = client_id or "11111111-2222-3333-4444-555555555555"
        self.client_secret = client_secret or secrets.token_urlsafe(24)
        self.lock = threading.RLock()
        self.accounts: dict[str, Account] = {}
        self.events: dict[str, Event] = {}
        self.deleted: set[str] = set()
        self.grants: dict[str, Grant] = {}  # by account
        self.codes: dict[str, dict] = {}
        self.subscriptions: dict[str, Subscription] = {}
        self.snapshots: dict[str, dict] = {}  # delta token -> view state
        self.pages: dict[str, dict] = {}  # skip token -> remaining items
        self.faults: list[tuple[int, int | None]] = []  # (status, retry-after)
        self.requests: list[tuple[str, str]] = []  # (method, path) of Graph calls
        self.latency = 0.0  # seconds each Graph answer takes
        self.in_flight = self.max_in_flight = 0
        self.expired_code = "syncStateNotFound"  # or "410"
        self.access_token_seconds = 3600
        self.validation_answers: list[tuple[str, int, str]] = []
        # Sandbox mode: the control API is on, and every consent must carry a login_hint signed
        # with this token (as the sandbox Google's, docs/sandbox.md).
        self.control_token = control_token
        self.consent_notice = ""
        self.certificates = Certificates()
        self.server = Server(self, web_port=web_port)
        # How the simulator reaches a notification URL: real HTTP by default; a test may
        # route it through Django's test client instead (contract.py).
        self.deliver = self.server.post

    # -- life ------------------------------------------------------------------------------

    def start(self) -> None:
        self.server.start()

    def stop(self) -> None:
        self.server.stop()

    @property
    def base_url(self) -> str:
        return self.server.base_url

    @property
    def web_url(self) -> str:
        """The browser's side: the consent page (and the sandbox's control API)."""
        return self.server.web_url

    @property
    def authority(self) -> str:
        return f"{self.base_url}/organizations"

    @property
    def graph_url(self) -> str:
        return f"{self.base_url}/v1.0"

    # -- accounts and events ---------------------------------------------------------------

    def add_account(self, email: str, *, name: str = "", calendars: list[str] = ()) -> Account:
        with self.lock:
            account = Account(email=email.lower(), name=name or email)
            account.calendars[new_id("Cal")] = "Calendar"
            for other in calendars:
                account.calendars[new_id("Cal")] = other
            self.accounts[account.email] = account
            return account

    def default_calendar(self, email: str) -> str:
        return next(iter(self.accounts[email.lower()].calendars))

    def create_event(
        self,
        email: str,
        *,
        subject: str,
        start: datetime,
        end: datetime,
        zone: str = "W. Europe Standard Time",
        attendees: list[str | dict] = (),
        location: str = "",
        recurrence: dict | None = None,
        calendar_id: str = "",
    ) -> Event:
        with self.lock:
            event = Event(
                id=new_id("Evt"),
                calendar_id=calendar_id or self.default_calendar(email),
                subject=subject,
                start=start,
                end=end,
                zone=zone,
                organizer=email.lower(),
                attendees=[_attendee(a) for a in attendees],
                location=location,
                recurrence=recurrence,
            )
            self.events[event.id] = event
            return event

    def update_event(self, event_id: str, **fields) -> Event:
        with self.lock:
            event = self.events[event_id]
            for name, value in fields.items():
                if name == "attendees":
                    value = [_attendee(a) for a in value]
                setattr(event, name, value)
            event.touch()
            return event

    def delete_event(self, event_id: str) -> None:
        with self.lock:
            self.events.pop(event_id)
            self.deleted.add(event_id)

    def _exception(self, series_id: str, original: datetime) -> Exception_:
        event = self.events[series_id]
        key = stamp(original)
        if key not in {stamp(s) for s in event.original_starts(original + timedelta(days=1))}:
            raise KeyError(f"no occurrence of {series_id} at {original}")
        change = event.exceptions.setdefault(key, Exception_(version=0))
        change.version += 1
        event.modified = datetime.now(UTC)
        return change

    def move_occurrence(self, series_id: str, original: datetime, start: datetime) -> None:
        with self.lock:
            event = self.events[series_id]
            change = self._exception(series_id, original)
            change.start, change.end = start, start + (event.end - event.start)

    def cancel_occurrence(self, series_id: str, original: datetime) -> None:
        with self.lock:
            self._exception(series_id, original).cancelled = True

    # -- faults ----------------------------------------------------------------------------

    def fail_next(self, n: int, status: int = 429, retry_after: int | None = 1) -> None:
        with self.lock:
            self.faults.extend([(status, retry_after)] * n)

    def take_fault(self) -> tuple[int, int | None] | None:
        with self.lock:
            return self.faults.pop(0) if self.faults else None

    def invalidate_delta_tokens(self, *, code: str = "syncStateNotFound") -> None:
        """Every delta token stops working: answered with 410 or a 400 ``code``."""
        with self.lock:
            self.expired_code = code
            self.snapshots.clear()
            self.pages.clear()

    def revoke(self, email: str) -> None:
        with self.lock:
            grant = self.grants.get(email.lower())
            if grant is not None:
                grant.revoked = True
                grant.refresh_tokens.clear()
                grant.access_tokens.clear()

    def expire_access_tokens(self, email: str) -> None:
        with self.lock:
            grant = self.grants.get(email.lower())
            if grant is not None:
                grant.access_tokens.clear()

    # -- tokens ----------------------------------------------------------------------------

    def issue(self, email: str) -> tuple[str, str]:
        """A new access token and a new refresh token (rotation: the old one stays valid)."""
        with self.lock:
            grant = self.grants.setdefault(email, Grant(account=email))
            grant.revoked = False
            access, refresh = secrets.token_urlsafe(24), secrets.token_urlsafe(32)
            grant.access_tokens[access] = datetime.now(UTC) + timedelta(
                seconds=self.access_token_seconds
            )
            grant.refresh_tokens.add(refresh)
            return access, refresh

    def account_of_access_token(self, token: str) -> str | None:
        with self.lock:
            for grant in self.grants.values():
                expires = grant.access_tokens.get(token)
                if expires is not None and expires > datetime.now(UTC):
                    return grant.account
            return None

    def account_of_refresh_token(self, token: str) -> str | None:
        with self.lock:
            for grant in self.grants.values():
                if token in grant.refresh_tokens and not grant.revoked:
                    return grant.account
            return None

    def approve_url(self, authorize_url: str, *, account: str) -> str:
        """Where Microsoft sends the browser back after the user picked ``account``."""
        return self.server.identity.approve(authorize_url, account.lower())

    # -- push ------------------------------------------------------------------------------

    def notify(self, email: str, *, lifecycle: str = "", client_state: str = "") -> list[int]:
        """Each subscription of the account posts one notification; the answers' statuses."""
        with self.lock:
            subscriptions = [s for s in self.subscriptions.values() if s.account == email]
        return [
            self.server.graph.notify(s, lifecycle=lifecycle, client_state=client_state)
            for s in subscriptions
        ]


def _attendee(value: str | dict) -> dict:
    if isinstance(value, dict):
        return value
    return {
        "type": "required",
        "status": {"response": "none"},
        "emailAddress": {"address": value, "name": value.partition("@")[0]},
    }
