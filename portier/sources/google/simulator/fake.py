"""``FakeGoogle``: Google's OAuth and Calendar API v3 on a loopback port, driven from Python."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlsplit

from .calendars import CalendarStore, When
from .channels import Channels, Notification
from .errors import Delay, Faults
from .oauth import OAuth, offered_accounts
from .server import AUTH_PATH, REVOKE_PATH, TOKEN_PATH, Server
from .sync import Tokens

CALENDAR_READONLY = "https://www.googleapis.com/auth/calendar.readonly"


class FakeGoogle:
    """A fake Google on ``http://127.0.0.1:<port>`` that the official libraries can use::

        with FakeGoogle() as fake:
            fake.add_account("bob@acme.example", name="Bob", time_zone="Europe/Berlin")
            fake.create_event("bob@acme.example", summary="Visit", start=datetime(...))

    Point the libraries at ``auth_uri``, ``token_uri`` and ``revoke_uri``, and give
    ``api_url`` to ``googleapiclient.discovery.build(..., client_options={"api_endpoint":
    api_url})``: it stands for Google's whole base URL ``https://www.googleapis.com/calendar/v3/``
    (root + service path, trailing slash included). One lock guards all state.
    """

    def __init__(
        self,
        client_id: str = "portier-test.apps.googleusercontent.com",
        client_secret: str = "fake-client-secret",
        *,
        redirect_uris: Iterable[str] | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        clock: Callable[[], datetime] | None = None,
        control_token: str | None = None,
    ):
        self.client_id = client_id
        # Set: the sandbox's control API (control.py) answers requests bearing this token.
        self.control_token = control_token
        self.consent_notice = ""  # plain text shown on the consent page
        self.client_secret = client_secret
        self.lock = threading.RLock()
        clock = clock or (lambda: datetime.now(UTC))
        self.store = CalendarStore(self.lock, clock)
        self.oauth = OAuth(self.lock, clock)
        self.oauth.add_client(client_id, client_secret, redirect_uris)
        # Run as Portier's sandbox (many users, one fake): consent only for the signed hint.
        self.oauth.hint_key = control_token.encode() if control_token else None
        self.channels = Channels(self.lock, clock)
        self.store.listeners.append(self.channels.changed)
        self.faults = Faults(self.lock)
        self.tokens = Tokens()
        # (method, path, query) of the latest requests, oldest first.
        self.requests: deque[tuple[str, str, dict]] = deque(maxlen=10_000)
        self._address = (host, port)
        self._server: Server | None = None
        self._thread: threading.Thread | None = None

    # -- life cycle -------------------------------------------------------------------------

    def start(self) -> FakeGoogle:
        self._server = Server(self._address, self)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.name = "fake-google-http"
        self._thread.start()
        self.channels.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.close_connections()
            self._server.server_close()
            self._thread.join(timeout=10)
            self._server = self._thread = None
        self.channels.close()

    def __enter__(self) -> FakeGoogle:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- addresses --------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("FakeGoogle is not started")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def auth_uri(self) -> str:
        return self.base_url + AUTH_PATH

    @property
    def token_uri(self) -> str:
        return self.base_url + TOKEN_PATH

    @property
    def revoke_uri(self) -> str:
        return self.base_url + REVOKE_PATH

    @property
    def api_url(self) -> str:
        """Stands for ``https://www.googleapis.com/calendar/v3/`` (root + service path)."""
        return self.base_url + "/calendar/v3/"

    def settings(self) -> dict[str, str]:
        """The GOOGLE_* settings (or environment) that point Portier at this simulator."""
        return {
            "GOOGLE_CLIENT_ID": self.client_id,
            "GOOGLE_CLIENT_SECRET": self.client_secret,
            "GOOGLE_AUTH_URI": self.auth_uri,
            "GOOGLE_TOKEN_URI": self.token_uri,
            "GOOGLE_REVOKE_URI": self.revoke_uri,
            "GOOGLE_API_URL": self.api_url,
        }

    def client_config(self, redirect_uri: str | None = None) -> dict:
        """What ``google_auth_oauthlib.flow.Flow.from_client_config`` takes."""
        web = {
            "client_id": self.client_id,
            "client_secret": self.client_secret,
            "auth_uri": self.auth_uri,
            "token_uri": self.token_uri,
        }
        if redirect_uri:
            web["redirect_uris"] = [redirect_uri]
        return {"web": web}

    # -- OAuth ------------------------------------------------------------------------------

    def add_client(self, client_id: str, client_secret: str, redirect_uris=None) -> None:
        """Register another OAuth client; ``redirect_uris=None`` accepts any URI."""
        self.oauth.add_client(client_id, client_secret, redirect_uris)

    def approve_url(self, auth_url: str, account: str | None = None, *, deny: bool = False) -> str:
        """Where the consent page would redirect to, without HTML (``ConsentError`` if the
        request is one Google answers with an error page)."""
        query = dict(parse_qsl(urlsplit(auth_url).query, keep_blank_values=True))
        request = self.oauth.authorization_request(query)
        names = offered_accounts(request, self._account_names())
        account = account or (request.login_hint if request.login_hint in names else None)
        account = account or next(iter(names), None)
        if not deny and account not in names:
            raise ValueError(f"unknown account {account!r}")
        return self.oauth.decide(request.id, account, approve=not deny)

    def issue_tokens(
        self, email: str, scopes: Iterable[str] = (CALENDAR_READONLY,), client_id=None
    ) -> dict:
        """A token response as after a finished consent (with a refresh token)."""
        if email not in self.store.accounts:
            raise KeyError(email)
        return self.oauth.grant(email, tuple(scopes), client_id or self.client_id)

    def revoke_account_tokens(self, email: str) -> None:
        """Every token of the account dies: refresh then answers ``invalid_grant``."""
        self.oauth.revoke_account(email)

    def expire_access_tokens(self, email: str | None = None) -> None:
        """Access tokens expire early (the API answers 401; a refresh still works)."""
        self.oauth.expire_access_tokens(email)

    @property
    def revoked_tokens(self) -> list[str]:
        with self.lock:
            return list(self.oauth.revoked_tokens)

    @property
    def access_token_lifetime(self) -> int:
        return self.oauth.access_token_lifetime

    @access_token_lifetime.setter
    def access_token_lifetime(self, seconds: int) -> None:
        self.oauth.access_token_lifetime = seconds

    # -- the host's calendar ----------------------------------------------------------------

    def add_account(
        self,
        email: str,
        name: str | None = None,
        *,
        time_zone: str = "UTC",
        calendars: Iterable[str | dict] = (),
    ) -> str:
        """An account with its primary calendar (id = email); ``calendars`` adds more, each
        a summary or a dict of ``add_calendar`` arguments. Returns the primary calendar id."""
        return self.store.add_account(email, name, time_zone=time_zone, calendars=calendars)

    def add_calendar(
        self,
        email: str,
        calendar_id: str | None = None,
        summary: str | None = None,
        time_zone: str | None = None,
        *,
        description: str = "",
        access_role: str | None = None,
    ) -> str:
        return self.store.add_calendar(
            email, calendar_id, summary, time_zone, description=description, access_role=access_role
        )

    def remove_calendar(self, email: str, calendar_id: str) -> None:
        self.store.remove_calendar(email, calendar_id)

    def create_event(self, calendar_id: str, **fields) -> dict:
        """Keyword arguments: start, end, summary, time_zone, location, description,
        attendees (``(email, name)`` tuples, e-mails or dicts), recurrence, organizer, creator,
        reminders, event_id, ical_uid, and any other Event field (snake_case is fine).

        ``organizer`` and ``creator`` take an e-mail or a person dict. An organizer other than
        the calendar's owner is what an invitation from them looks like once it landed in the
        calendar: they are organizer and creator, the owner is an attendee (``self``)."""
        return self.store.create_event(calendar_id, **fields)

    def update_event(self, calendar_id: str, event_id: str, **changes) -> dict:
        return self.store.update_event(calendar_id, event_id, **changes)

    def delete_event(self, calendar_id: str, event_id: str) -> None:
        self.store.delete_event(calendar_id, event_id)

    def cancel_instance(self, calendar_id: str, series_id: str, original_start: When) -> str:
        """Cancel one occurrence of a series; returns the instance id."""
        instance_id = self.store.instance_id(calendar_id, series_id, original_start)
        self.store.delete_event(calendar_id, instance_id)
        return instance_id

    def move_instance(
        self, calendar_id: str, series_id: str, original_start: When, **changes
    ) -> dict:
        """Make an exception of one occurrence (new ``start``/``end`` or other fields)."""
        instance_id = self.store.instance_id(calendar_id, series_id, original_start)
        return self.store.update_event(calendar_id, instance_id, **changes)

    def get_event(self, calendar_id: str, event_id: str) -> dict:
        return self.store.get_event(calendar_id, event_id)

    def serve_raw(self, calendar_id: str, event_id: str, **fields) -> None:
        """Serve the event with these JSON fields as given, whatever their type."""
        self.store.serve_raw(calendar_id, event_id, fields)

    def invalidate_sync_tokens(self, calendar_id: str) -> None:
        """Every sync token of the calendar now answers 410 ``fullSyncRequired``."""
        self.store.invalidate_sync_tokens(calendar_id)

    # -- faults and observation -------------------------------------------------------------

    def fail_next(
        self,
        n: int = 1,
        status: int = 403,
        reason: str | None = None,
        *,
        message: str | None = None,
        path_prefix: str = "/calendar/v3/",
        skip: int = 0,
    ) -> None:
        """The next ``n`` requests under ``path_prefix`` (after ``skip`` that pass) fail with
        Google's error body."""
        self.faults.add(n, status, reason, message=message, path_prefix=path_prefix, skip=skip)

    def delay_next(self, seconds: float, *, path_prefix: str = "/calendar/v3/") -> Delay:
        """The next request under ``path_prefix`` is answered after ``seconds`` (or once the
        returned Delay is released); ``Delay.arrived`` tells when it is in flight."""
        return self.faults.delay(seconds, path_prefix)

    def hang_next(
        self, n: int = 1, seconds: float = 1.0, *, path_prefix: str = "/calendar/v3/", skip: int = 0
    ) -> None:
        """The next ``n`` requests under ``path_prefix`` (after ``skip`` that pass) time out:
        no answer for ``seconds`` (or until ``faults.clear()``), then the connection drops."""
        self.faults.add(n, 0, path_prefix=path_prefix, skip=skip, hang=seconds)

    @property
    def latency(self) -> float:
        return self.faults.latency

    @latency.setter
    def latency(self, seconds: float) -> None:
        self.faults.latency = seconds

    @property
    def notifications_sent(self) -> list[Notification]:
        with self.lock:
            return list(self.channels.sent)

    def wait_for_notifications(self, timeout: float = 5.0) -> list[Notification]:
        """Wait until queued push messages are delivered; returns all deliveries so far."""
        self.channels.wait_idle(timeout)
        return self.notifications_sent

    @property
    def active_channels(self) -> list[str]:
        with self.lock:
            return [c.id for c in self.channels.channels.values() if not c.stopped]

    def _log_request(self, method: str, path: str, query: dict) -> None:
        with self.lock:
            self.requests.append((method, path, query))

    def _account_names(self) -> dict[str, str]:
        with self.lock:
            return {email: account.name for email, account in self.store.accounts.items()}
