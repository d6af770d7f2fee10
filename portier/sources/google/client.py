"""Google Calendar API v3 for one connected account.

Fetches and parses only; never writes to the database. Endpoints come from settings so that
the simulator, a sandbox and real Google are one setting apart (docs/google.md).
"""

import hashlib
import random
import threading
import time
from datetime import UTC, datetime, timedelta
from functools import cached_property
from typing import ClassVar

import google_auth_httplib2
import httplib2
import requests
from django.conf import settings
from google.auth.exceptions import RefreshError, TransportError
from google.oauth2.credentials import Credentials
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError

from portier.lib import ratelimit
from portier.sources.base import (
    Account,
    Capability,
    Changes,
    Channel,
    CursorExpired,
    ProviderError,
    RemoteCalendar,
    RemoteEvent,
    Tokens,
)
from portier.sources.google.parse import parse_event, parse_event_safely

# The smallest set that lists calendars and reads events (and allows events.watch).
SCOPES = [
    "https://www.googleapis.com/auth/calendar.calendarlist.readonly",
    "https://www.googleapis.com/auth/calendar.events.readonly",
]
TIMEOUT = 30
FULL_SYNC_LOOKBACK = timedelta(days=1)  # past visits need no invitations


def _rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def tokens_of(credentials: Credentials) -> Tokens:
    expiry = credentials.expiry.replace(tzinfo=UTC) if credentials.expiry else None
    return Tokens(
        refresh_token=credentials.refresh_token,
        access_token=credentials.token or "",
        expires_at=expiry,
        scopes=tuple(credentials.scopes or SCOPES),
    )


def translate_error(exc: Exception) -> ProviderError:
    """One place that decides what a Google failure means for us."""
    if isinstance(exc, ProviderError):
        return exc
    if isinstance(exc, RefreshError):
        text = str(exc)
        if "invalid_grant" in text or "invalid_client" in text or "unauthorized_client" in text:
            return ProviderError(f"Google access was revoked or expired: {text}", reauth=True)
        return ProviderError(f"Google token refresh failed: {text}")
    if isinstance(exc, HttpError):
        status = exc.resp.status
        reason = exc.reason or str(exc)
        message = f"Google answered {status}: {reason}"
        if status == 401:
            return ProviderError(message, reauth=True, status=status)
        if status == 410:
            return CursorExpired(message, status=status)
        if status in (403, 429) and _is_rate_limit(exc):
            return ProviderError(message, status=status)
        if status >= 500 or status == 429:
            return ProviderError(message, status=status)
        return ProviderError(message, permanent=True, status=status)
    if isinstance(exc, TransportError | httplib2.HttpLib2Error | OSError):
        return ProviderError(f"Google could not be reached: {exc}")
    raise exc


def _is_rate_limit(exc: HttpError) -> bool:
    reasons = {d.get("reason") for d in (exc.error_details or []) if isinstance(d, dict)}
    return bool(reasons & {"rateLimitExceeded", "userRateLimitExceeded", "quotaExceeded"}) or (
        exc.resp.status == 429
    )


class _Client:
    """A discovery-built Calendar client and its `events()` resource. Building them from the
    discovery document took 8-16 ms of every sync (docs/performance.md §1); one per worker
    thread and API endpoint is made once and lent to each task's `Google`, which puts its
    account's credentials in before each request (httplib2 is not thread-safe, so not one per
    process)."""

    def __init__(self, api_url: str):
        self.api_url = api_url
        self.http = google_auth_httplib2.AuthorizedHttp(None, http=httplib2.Http(timeout=TIMEOUT))
        self.resource = build(
            "calendar",
            "v3",
            http=self.http,
            static_discovery=True,
            cache_discovery=False,
            client_options={"api_endpoint": api_url},
        )
        self.events_resource = self.resource.events()

    def __getattr__(self, name):
        return getattr(self.resource, name)


_local = threading.local()


def _shared(api_url: str) -> _Client:
    client = getattr(_local, "client", None)
    if client is None or client.api_url != api_url:  # the endpoint is one setting
        client = _local.client = _Client(api_url)
    return client


class Google:
    """A connected Google account. Build one per task: httplib2 is not thread-safe."""

    slug: ClassVar[str] = "google"
    capabilities: ClassVar[frozenset[Capability]] = frozenset(
        {Capability.PUSH, Capability.REVOKE, Capability.SERIES_INSTANCES}
    )

    def __init__(self, tokens: Tokens):
        expiry = (
            tokens.expires_at.astimezone(UTC).replace(tzinfo=None) if tokens.expires_at else None
        )
        self.credentials = Credentials(
            token=tokens.access_token or None,
            refresh_token=tokens.refresh_token,
            token_uri=settings.GOOGLE_TOKEN_URI,
            client_id=settings.GOOGLE_CLIENT_ID,
            client_secret=settings.GOOGLE_CLIENT_SECRET,
            scopes=list(tokens.scopes) or SCOPES,
            expiry=expiry,
        )
        self._service: _Client | None = None
        self._time_min: dict[str, str] = {}

    @property
    def service(self):
        self._service = _shared(settings.GOOGLE_API_URL)
        return self._service

    def events(self):
        """The `events()` resource (made once per thread: 5-8 ms each, docs/performance.md)."""
        return self.service.events_resource

    def close(self) -> None:
        """Close the pooled HTTP connections (one provider object per task); the client stays
        for the thread's next task."""
        if self._service is not None:
            self._service.http.close()
            self._service = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _execute(self, request):
        """Run one API request within the request budget, retrying what is worth retrying:
        rate limits (403/429) and server errors, with exponential backoff and full jitter."""
        attempts = settings.GOOGLE_RETRIES + 1
        for attempt in range(attempts):
            ratelimit.acquire(
                f"google:user:{self.credentials.client_id}:{self.account_key}",
                settings.GOOGLE_USER_REQUESTS_PER_SECOND,
            )
            ratelimit.acquire(
                f"google:project:{self.credentials.client_id}",
                settings.GOOGLE_PROJECT_REQUESTS_PER_SECOND,
            )
            try:
                # The thread's client serves one account at a time: this one's, now.
                request.http.credentials = self.credentials
                return request.execute()
            except Exception as exc:  # noqa: BLE001 - translate_error re-raises what it does not know
                error = translate_error(exc)
                if error.permanent or attempt == attempts - 1:
                    raise error from exc
            delay = settings.GOOGLE_BACKOFF_SECONDS * (2**attempt)
            time.sleep(random.uniform(0, delay))  # full jitter
        raise AssertionError("unreachable")

    @cached_property
    def account_key(self) -> str:
        # The refresh token identifies the grant; never log it, only hash it into a key.
        return hashlib.sha256((self.credentials.refresh_token or "").encode()).hexdigest()[:16]

    def current_tokens(self) -> Tokens:
        return tokens_of(self.credentials)

    def list_calendars(self) -> list[RemoteCalendar]:
        calendars, page_token = [], None
        while True:
            page = self._execute(
                self.service.calendarList().list(pageToken=page_token, maxResults=250)
            )
            for item in page.get("items", []):
                if item.get("deleted"):
                    continue
                calendars.append(
                    RemoteCalendar(
                        remote_id=item["id"],
                        name=item.get("summaryOverride") or item.get("summary") or item["id"],
                        time_zone=item.get("timeZone", ""),
                        is_primary=bool(item.get("primary")),
                        read_only=item.get("accessRole") in ("reader", "freeBusyReader"),
                    )
                )
            page_token = page.get("nextPageToken")
            if not page_token:
                return calendars

    def changes(self, calendar_id: str, cursor: str | None, page: str | None = None) -> Changes:
        """One page of events.list. Full listing (no cursor) from yesterday on, instances
        expanded; with a cursor, only what changed (deletions included)."""
        params = {
            "calendarId": calendar_id,
            "singleEvents": True,
            "maxResults": settings.GOOGLE_PAGE_SIZE,
        }
        if cursor:
            params["syncToken"] = cursor
        else:
            # Every page of a chain must repeat the first page's query exactly.
            if page is None or calendar_id not in self._time_min:
                self._time_min[calendar_id] = _rfc3339(datetime.now(UTC) - FULL_SYNC_LOOKBACK)
            params["timeMin"] = self._time_min[calendar_id]
        if page:
            params["pageToken"] = page
        body = self._execute(self.events().list(**params))
        zone = body.get("timeZone", "")
        return Changes(
            events=[parse_event_safely(item, zone) for item in body.get("items", [])],
            cursor=body.get("nextSyncToken"),
            next_page=body.get("nextPageToken"),
            full_resync=not cursor,
        )

    def instances(
        self, calendar_id: str, series_id: str, time_min: datetime, time_max: datetime
    ) -> list[RemoteEvent]:
        """The occurrences of a series in a window (to roll the horizon forward)."""
        events: list[RemoteEvent] = []
        page = None
        while True:
            body = self._execute(
                self.events().instances(
                    calendarId=calendar_id,
                    eventId=series_id,
                    timeMin=_rfc3339(time_min),
                    timeMax=_rfc3339(time_max),
                    pageToken=page,
                    maxResults=250,
                )
            )
            zone = body.get("timeZone", "")
            events.extend(parse_event_safely(item, zone) for item in body.get("items", []))
            page = body.get("nextPageToken")
            if not page:
                return events

    def get_event(self, calendar_id: str, event_id: str) -> RemoteEvent | None:
        try:
            body = self._execute(self.events().get(calendarId=calendar_id, eventId=event_id))
        except ProviderError as exc:
            if exc.status in (404, 410):
                return None
            raise
        return parse_event(body)

    def watch(
        self, calendar_id: str, *, channel_id: str, token: str, address: str, ttl: int
    ) -> Channel:
        body = self._execute(
            self.events().watch(
                calendarId=calendar_id,
                body={
                    "id": channel_id,
                    "type": "web_hook",
                    "address": address,
                    "token": token,
                    "params": {"ttl": str(ttl)},
                },
            )
        )
        expiration = body.get("expiration")
        expires_at = datetime.fromtimestamp(int(expiration) / 1000, UTC) if expiration else None
        return Channel(
            channel_id=body.get("id", channel_id),
            resource_id=body.get("resourceId", ""),
            expires_at=expires_at,
        )

    def account(self, calendars: list[RemoteCalendar] | None = None) -> Account:
        """The account is identified by its primary calendar's id, its e-mail address."""
        calendars = calendars if calendars is not None else self.list_calendars()
        primary = next((c for c in calendars if c.is_primary), None)
        if primary is None:
            raise ProviderError("The Google account has no primary calendar", permanent=True)
        return Account(account_id=primary.remote_id.lower(), name=primary.name)

    def stop_channel(self, *, channel_id: str, resource_id: str) -> None:
        try:
            self._execute(
                self.service.channels().stop(body={"id": channel_id, "resourceId": resource_id})
            )
        except ProviderError as exc:
            if exc.status != 404:  # already gone is what we wanted
                raise

    def revoke(self) -> None:
        """Revoke the whole grant at Google (revoking one token revokes all of the grant)."""
        try:
            response = requests.post(
                settings.GOOGLE_REVOKE_URI,
                data={"token": self.credentials.refresh_token},
                headers={"Content-Type": "application/x-www-form-urlencoded"},
                timeout=TIMEOUT,
            )
        except requests.RequestException as exc:
            raise ProviderError(f"Google could not be reached to revoke: {exc}") from exc
        # 400 invalid_token: already revoked or expired, which is the state we want.
        if response.status_code not in (200, 400):
            raise ProviderError(f"Google answered {response.status_code} to the revocation")
