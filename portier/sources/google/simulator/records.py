"""The simulator's records: accounts, their calendar-list entries, calendars."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from .events import Event, When

ACCESS_ROLES = ("freeBusyReader", "reader", "writer", "owner")
DEFAULT_REMINDERS = [{"method": "popup", "minutes": 10}]
TIME_FIELDS = {"start", "end", "time_zone", "recurrence", "status"}


@dataclass
class Calendar:
    id: str
    summary: str
    time_zone: str
    owner: str
    description: str = ""
    epoch: int = 0  # bumped by invalidate_sync_tokens
    updated: datetime = field(default_factory=lambda: datetime.now(UTC))
    events: dict[str, Event] = field(default_factory=dict)
    resource_id: str = field(default_factory=lambda: secrets.token_urlsafe(20))


@dataclass
class Entry:
    """One line of an account's calendar list."""

    calendar_id: str
    access_role: str
    primary: bool
    changed: int
    deleted: bool = False


@dataclass
class Account:
    email: str
    name: str
    time_zone: str
    entries: dict[str, Entry] = field(default_factory=dict)


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def coerce_when(value: When | str, tz: str | None) -> When:
    """Dates stay dates; naive datetimes are wall time in ``tz``; ISO strings are parsed."""
    if isinstance(value, str):
        value = date.fromisoformat(value) if len(value) == 10 else datetime.fromisoformat(value)
    if isinstance(value, datetime) and value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo(tz or "UTC"))
    return value
