"""A calendar source that lives in this process: the proof that a source is one module plus
one registry line (registered for the tests in conftest.py), and that the contract suite
skips what a source does not declare (no push, no revocation, no series listing).

Its "provider" is the module-level STORE; its simulator edits STORE directly.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any, ClassVar, Self

from dateutil.rrule import rrulestr  # type: ignore[import-untyped]
from django import forms
from django.conf import settings
from django.urls import reverse

from portier.sources.base import (
    Account,
    Attendee,
    Capability,
    Changes,
    CursorExpired,
    EventTime,
    FormFlow,
    ProviderError,
    RemoteCalendar,
    RemoteEvent,
    Source,
    Tokens,
)

OTHER = "other"  # the second calendar's id suffix


@dataclass
class Item:
    event: RemoteEvent
    changed: int


@dataclass
class Calendar:
    remote_id: str
    name: str
    time_zone: str
    items: dict[str, Item] = field(default_factory=dict)
    masters: dict[str, RemoteEvent] = field(default_factory=dict)
    epoch: int = 0


class Store:
    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        self.calendars: dict[str, dict[str, Calendar]] = {}  # account -> id -> calendar
        self.revoked: set[str] = set()
        self.rate_limited = 0
        self.clock = itertools.count(1)

    def calendar(self, account: str) -> Calendar:
        return self.calendars[account][account]

    def put(self, calendar: Calendar, event: RemoteEvent) -> None:
        calendar.items[event.remote_id] = Item(event, next(self.clock))


STORE = Store()


def _when(at: datetime) -> EventTime:
    return EventTime(at=at.astimezone(UTC), time_zone="UTC")


class MemoryClient:
    slug: ClassVar[str] = "memory"
    capabilities: ClassVar[frozenset[Capability]] = frozenset()

    def __init__(self, tokens: Tokens):
        self.tokens = tokens
        self.account_id = tokens.refresh_token

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def _call(self) -> dict[str, Calendar]:
        if self.account_id in STORE.revoked:
            raise ProviderError("access revoked", reauth=True, status=401)
        if STORE.rate_limited:
            STORE.rate_limited -= 1
            raise ProviderError("rate limit exceeded", status=429)
        if self.account_id not in STORE.calendars:
            raise ProviderError("no such account", permanent=True, status=404)
        return STORE.calendars[self.account_id]

    def current_tokens(self) -> Tokens:
        return self.tokens

    def list_calendars(self) -> list[RemoteCalendar]:
        primary = self.account_id
        return [
            RemoteCalendar(c.remote_id, c.name, c.time_zone, is_primary=c.remote_id == primary)
            for c in self._call().values()
        ]

    def account(self, calendars: list[RemoteCalendar] | None = None) -> Account:
        return Account(account_id=self.account_id, name=self.account_id)

    def changes(self, calendar_id: str, cursor: str | None, page: str | None = None) -> Changes:
        calendar = self._call()[calendar_id]
        since = 0
        if cursor:
            epoch, _, seq = cursor.partition(":")
            if int(epoch) != calendar.epoch:
                raise CursorExpired("cursor expired", status=410)
            since = int(seq)
        items = sorted(calendar.items.values(), key=lambda i: (i.changed, i.event.remote_id))
        listed = [
            i.event for i in items if i.changed > since and (cursor or not i.event.is_cancelled)
        ]
        size = getattr(settings, "MEMORY_PAGE_SIZE", 50)
        offset = int(page or 0)
        last = offset + size >= len(listed)
        newest = max((i.changed for i in items), default=since)
        return Changes(
            events=listed[offset : offset + size],
            cursor=f"{calendar.epoch}:{newest}" if last else None,
            next_page=None if last else str(offset + size),
            full_resync=not cursor,
        )

    def get_event(self, calendar_id: str, event_id: str) -> RemoteEvent | None:
        calendar = self._call()[calendar_id]
        if event_id in calendar.masters:
            return calendar.masters[event_id]
        item = calendar.items.get(event_id)
        return item.event if item and not item.event.is_cancelled else None


class AccountForm(forms.Form):
    account = forms.EmailField()


class MemoryForm(FormFlow):
    def form(self, data: Mapping[str, Any] | None = None) -> forms.Form:
        return AccountForm(data)

    def tokens(self, cleaned_data: Mapping[str, Any]) -> Tokens:
        return Tokens(refresh_token=cleaned_data["account"])


SOURCE = Source(
    slug="memory",
    name="Memory calendar",
    client=MemoryClient,
    connect=MemoryForm(),
    simulator="portier.testing.memory_source.MemorySimulator",
)


class MemorySimulator:
    """Edits STORE as a host would edit their calendar."""

    def start(self) -> None:
        STORE.reset()

    def stop(self) -> None:
        STORE.reset()

    def settings(self, *, page_size: int) -> Mapping[str, Any]:
        return {"MEMORY_PAGE_SIZE": page_size}

    def add_account(self, email: str, *, time_zone: str, other_calendar: str) -> None:
        STORE.calendars[email] = {
            email: Calendar(email, email, time_zone),
            f"{email}/{OTHER}": Calendar(f"{email}/{OTHER}", other_calendar, time_zone),
        }

    def connect(self, client: Any, slug: str, account: str) -> Any:
        url = reverse("integrations:connect", args=[slug])
        return client.post(url, {"account": account}, follow=True)

    def create_event(
        self,
        account: str,
        *,
        title: str,
        start: datetime,
        end: datetime,
        attendees: Sequence[str],
        recurrence: Sequence[str] = (),
    ) -> str:
        calendar = STORE.calendar(account)
        remote_id = f"ev{next(STORE.clock)}"
        event = RemoteEvent(
            remote_id=remote_id,
            ical_uid=f"{remote_id}@memory",
            title=title,
            start=_when(start),
            end=_when(end),
            organizer=account,
            attendees=tuple(Attendee(email=a) for a in attendees),
            recurrence=tuple(recurrence),
        )
        if not recurrence:
            STORE.put(calendar, event)
            return remote_id
        calendar.masters[remote_id] = event
        rule = rrulestr("\n".join(recurrence), dtstart=start)
        for begin in rule:
            key = _when(begin)
            STORE.put(
                calendar,
                replace(
                    event,
                    remote_id=f"{remote_id}_{key.key()}",
                    series_id=remote_id,
                    original_start=key,
                    start=key,
                    end=_when(begin + (end - start)),
                    recurrence=(),
                ),
            )
        return remote_id

    def _item(self, account: str, event_id: str) -> RemoteEvent:
        return STORE.calendar(account).items[event_id].event

    def update_event(self, account: str, event_id: str, *, title: str) -> None:
        STORE.put(STORE.calendar(account), replace(self._item(account, event_id), title=title))

    def delete_event(self, account: str, event_id: str) -> None:
        """A deleted series is reported as one item, as CalDAV does (one resource)."""
        calendar = STORE.calendar(account)
        if calendar.masters.pop(event_id, None) is None:
            STORE.put(calendar, replace(self._item(account, event_id), status="cancelled"))
            return
        for item in list(calendar.items.values()):
            if item.event.series_id == event_id:
                del calendar.items[item.event.remote_id]
        STORE.put(calendar, RemoteEvent.series_deletion(event_id))

    def _occurrence(self, account: str, series_id: str, original_start: datetime) -> str:
        return f"{series_id}_{_when(original_start).key()}"

    def cancel_occurrence(self, account: str, series_id: str, original_start: datetime) -> None:
        event_id = self._occurrence(account, series_id, original_start)
        STORE.put(
            STORE.calendar(account), replace(self._item(account, event_id), status="cancelled")
        )

    def move_occurrence(
        self, account: str, series_id: str, original_start: datetime, start: datetime
    ) -> None:
        event = self._item(account, self._occurrence(account, series_id, original_start))
        assert event.start and event.end and event.start.at and event.end.at
        length = event.end.at - event.start.at
        moved = replace(event, start=_when(start), end=_when(start + length))
        STORE.put(STORE.calendar(account), moved)

    def expire_cursors(self, account: str) -> None:
        STORE.calendar(account).epoch += 1

    def revoke_grant(self, account: str) -> None:
        STORE.revoked.add(account)

    def rate_limit_next(self, n: int) -> None:
        STORE.rate_limited += n

    def notification(
        self, *, channel_id: str, token: str, resource_id: str
    ) -> tuple[dict[str, str], bytes]:
        raise NotImplementedError("the memory source has no push")
