"""Microsoft Graph for one connected mailbox: calendars, calendar-view delta, events, push
subscriptions. Fetches and parses only; never writes to the database.

Graph REST through requests (the official SDK would bring an async stack and Kiota for a dozen
GET and POST requests). HTTPS trusts REQUESTS_CA_BUNDLE (requests' own variable).
"""

import hashlib
import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from functools import cached_property
from typing import Any, ClassVar
from urllib.parse import quote

import requests
from django.conf import settings

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
from portier.sources.microsoft import auth
from portier.sources.microsoft.parse import (
    parse_event,
    parse_event_safely,
    parse_instant,
    removed,
)
from portier.sources.microsoft.window import Window

TIMEOUT = 30
MAX_CONCURRENT = 4  # Graph's limit per app and mailbox
SUBSCRIPTION_MINUTES = 10_080 - 60  # events allow at most 10,080; an hour's margin
RESYNC_CODES = {"syncstatenotfound", "resyncrequired", "syncstateinvalid"}
RETRIED = {429, 500, 502, 503, 504}
FULL, DELTA = "F", "D"  # the first character of a page token: which kind of chain it is in

_slots_lock = threading.Lock()
# Weak: a mailbox's slots live as long as a client uses them (keys change with token rotation).
_slots: weakref.WeakValueDictionary[str, threading.BoundedSemaphore] = weakref.WeakValueDictionary()


def _slot(key: str) -> threading.BoundedSemaphore:
    with _slots_lock:
        slot = _slots.get(key)
        if slot is None:
            slot = _slots[key] = threading.BoundedSemaphore(MAX_CONCURRENT)
        return slot


def _error_code(response: requests.Response) -> str:
    try:
        return str((response.json().get("error") or {}).get("code") or "")
    except (ValueError, AttributeError):
        return ""


def translate(response: requests.Response) -> ProviderError:
    """One place that decides what a Graph failure means for us."""
    status, code = response.status_code, _error_code(response)
    message = f"Microsoft Graph answered {status}: {code or response.reason}"
    if status == 410 or code.lower() in RESYNC_CODES:
        return CursorExpired(message, status=status)
    if status == 401:
        return ProviderError(message, reauth=True, status=status)
    if status in RETRIED:
        return ProviderError(message, status=status)
    return ProviderError(message, permanent=True, status=status)


class Microsoft:
    """A connected Microsoft account. Build one per task."""

    slug: ClassVar[str] = "microsoft"
    capabilities: ClassVar[frozenset[Capability]] = frozenset(
        {Capability.PUSH, Capability.SERIES_INSTANCES}
    )

    def __init__(self, tokens: Tokens):
        self.tokens = tokens
        self.session = requests.Session()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.session.close()

    def current_tokens(self) -> Tokens:
        return self.tokens

    @cached_property
    def mailbox_key(self) -> str:
        # The grant as this client was built with it (the tasks of one connection share it);
        # never logged, only hashed into a key. Graph's limit of 4 at a time holds per process.
        return hashlib.sha256(self.tokens.refresh_token.encode()).hexdigest()[:16]

    # -- requests --------------------------------------------------------------------------

    def _access_token(self, *, force: bool = False) -> str:
        if force or auth.needs_refresh(self.tokens):
            self.tokens = auth.refresh(self.tokens)
        return self.tokens.access_token

    def _url(self, path: str) -> str:
        return path if path.startswith("https://") else settings.MICROSOFT_GRAPH_URL + path

    def request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        """One Graph call: a fresh token (once more after a 401), at most four at a time per
        mailbox, 429 and 503 retried after Retry-After (backoff when it is missing)."""
        attempts = settings.MICROSOFT_RETRIES + 1
        headers = kwargs.pop("headers", {})
        refreshed = False
        for attempt in range(attempts):
            token = self._access_token(force=False)
            ratelimit.acquire(
                f"microsoft:mailbox:{self.mailbox_key}",
                settings.MICROSOFT_MAILBOX_REQUESTS_PER_SECOND,
            )
            try:
                with self._one_at_a_time():
                    response = self.session.request(
                        method,
                        self._url(path),
                        headers={**headers, "Authorization": f"Bearer {token}"},
                        timeout=TIMEOUT,
                        **kwargs,
                    )
            except requests.RequestException as exc:
                if attempt == attempts - 1:
                    raise ProviderError(f"Microsoft Graph could not be reached: {exc}") from exc
                time.sleep(settings.MICROSOFT_BACKOFF_SECONDS * 2**attempt)
                continue
            if response.status_code < 400:
                return response
            if response.status_code == 401 and not refreshed:
                refreshed = True
                self._access_token(force=True)
                continue
            error = translate(response)
            if error.permanent or attempt == attempts - 1:
                raise error
            time.sleep(self._delay(response, attempt))
        raise AssertionError("unreachable")

    @cached_property
    def _slot(self) -> threading.BoundedSemaphore:
        return _slot(self.mailbox_key)  # held by this client: the weak entry stays

    @contextmanager
    def _one_at_a_time(self) -> Iterator[None]:
        with self._slot:
            yield

    def _delay(self, response: requests.Response, attempt: int) -> float:
        after = response.headers.get("Retry-After", "")
        if after.isdigit():
            seconds = float(after)
            if seconds > settings.MICROSOFT_MAX_RETRY_AFTER_SECONDS:
                raise ProviderError(
                    f"Microsoft Graph asks to wait {after} s", status=response.status_code
                )
            return seconds
        return settings.MICROSOFT_BACKOFF_SECONDS * 2**attempt

    def get_json(self, path: str, **kwargs: Any) -> dict:
        return self.request("GET", path, **kwargs).json()

    def _pages(self, path: str, **kwargs: Any) -> Iterator[dict]:
        url: str | None = path
        while url:
            body = self.get_json(url, **kwargs)
            yield from body.get("value", [])
            url = body.get("@odata.nextLink")
            kwargs.pop("params", None)  # the next link carries the query

    # -- CalendarClient --------------------------------------------------------------------

    def list_calendars(self) -> list[RemoteCalendar]:
        return [
            RemoteCalendar(
                remote_id=item["id"],
                name=item.get("name") or item["id"],
                is_primary=bool(item.get("isDefaultCalendar")),
                read_only=not item.get("canEdit", False),
            )
            for item in self._pages("/me/calendars")
        ]

    def account(self, calendars: list[RemoteCalendar] | None = None) -> Account:
        """The account is its e-mail address (``mail``, else the sign-in name)."""
        me = self.get_json("/me")
        address = (me.get("mail") or me.get("userPrincipalName") or "").strip().lower()
        if not address:
            raise ProviderError("The Microsoft account has no e-mail address", permanent=True)
        return Account(account_id=address, name=me.get("displayName") or address)

    def _prefer(self) -> dict[str, str]:
        return {
            "Prefer": f'outlook.timezone="UTC", odata.maxpagesize={settings.MICROSOFT_PAGE_SIZE}'
        }

    def changes(self, calendar_id: str, cursor: str | None, page: str | None = None) -> Changes:
        """One page of the calendar view's delta over the sync window. Without a cursor (or
        with one whose window has drifted too far) a full listing of a new window. A page
        token carries its window and whether its chain is a full listing."""
        if page:
            full = page.startswith(FULL)
            window, url = Window.split(page[1:])
            body = self.get_json(url, headers=self._prefer())
        else:
            window_of_cursor = Window.of_cursor(cursor) if cursor else None
            full = window_of_cursor is None or window_of_cursor.is_stale()
            if full:
                window = Window.starting_now()
                body = self.get_json(
                    f"/me/calendars/{quote(calendar_id, safe='')}/calendarView/delta",
                    params=window.params(),
                    headers=self._prefer(),
                )
            else:
                assert window_of_cursor is not None
                window = window_of_cursor
                body = self.get_json(window.link, headers=self._prefer())
        events = [self._read(item) for item in body.get("value", [])]
        next_link, delta_link = body.get("@odata.nextLink"), body.get("@odata.deltaLink")
        return Changes(
            events=events,
            cursor=window.joined(delta_link) if delta_link else None,
            next_page=(FULL if full else DELTA) + window.joined(next_link) if next_link else None,
            full_resync=full,
        )

    def _read(self, item: dict) -> RemoteEvent:
        """A delta item; a removal is looked up, since Graph also reports events that merely
        left the window as removed: only one that is gone (or cancelled) is a deletion."""
        if "@removed" not in item:
            return parse_event_safely(item)
        found = self._get(item["id"])
        return removed(item["id"]) if found is None else parse_event_safely(found)

    def _get(self, event_id: str) -> dict | None:
        try:
            return self.get_json(f"/me/events/{quote(event_id, safe='')}", headers=self._prefer())
        except ProviderError as exc:
            if exc.status in (404, 410):
                return None
            raise

    def get_event(self, calendar_id: str, event_id: str) -> RemoteEvent | None:
        raw = self._get(event_id)
        return None if raw is None else parse_event(raw)

    def instances(
        self, calendar_id: str, series_id: str, time_min: datetime, time_max: datetime
    ) -> list[RemoteEvent]:
        params = {"startDateTime": _iso(time_min), "endDateTime": _iso(time_max)}
        path = f"/me/events/{quote(series_id, safe='')}/instances"
        return [
            parse_event_safely(item)
            for item in self._pages(path, params=params, headers=self._prefer())
        ]

    # -- push (Graph subscriptions) --------------------------------------------------------

    def watch(
        self, calendar_id: str, *, channel_id: str, token: str, address: str, ttl: int
    ) -> Channel:
        """A subscription to the calendar's events. Graph assigns its id (our resource id);
        our channel id travels in clientState with the secret, which Graph echoes."""
        minutes = min(ttl // 60, SUBSCRIPTION_MINUTES)
        expires = datetime.now(UTC) + timedelta(minutes=minutes)
        body = self.request(
            "POST",
            "/subscriptions",
            json={
                "changeType": "created,updated,deleted",
                "notificationUrl": address,
                "lifecycleNotificationUrl": address,
                "resource": f"me/calendars/{calendar_id}/events",
                "expirationDateTime": _iso(expires),
                "clientState": f"{channel_id}.{token}",
            },
        ).json()
        expiry = body.get("expirationDateTime")
        return Channel(
            channel_id=channel_id,
            resource_id=body["id"],
            expires_at=_parse_expiry(expiry) if expiry else expires,
        )

    def stop_channel(self, *, channel_id: str, resource_id: str) -> None:
        if not resource_id:
            return
        try:
            self.request("DELETE", f"/subscriptions/{quote(resource_id, safe='')}")
        except ProviderError as exc:
            if exc.status != 404:  # already gone is what we wanted
                raise


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_expiry(value: str) -> datetime:
    return parse_instant(value).astimezone(UTC)
