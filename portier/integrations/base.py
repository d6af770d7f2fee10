"""What every calendar provider returns: plain dataclasses, no database, no side effects."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Protocol


class ProviderError(Exception):
    """A provider call failed.

    permanent: retrying the same call will not help (bad request, not found).
    reauth: the grant is gone (revoked, expired); the host must reconnect.
    """

    def __init__(self, message: str, *, permanent: bool = False, reauth: bool = False, status=None):
        super().__init__(message)
        self.permanent = permanent or reauth
        self.reauth = reauth
        self.status = status


@dataclass(frozen=True)
class Tokens:
    """OAuth tokens as the provider last saw them; the caller persists them."""

    refresh_token: str
    access_token: str = ""
    expires_at: datetime | None = None
    scopes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Account:
    """Whom a grant belongs to: the provider's stable id for the account (Google: e-mail)."""

    account_id: str
    name: str = ""


@dataclass(frozen=True)
class RemoteCalendar:
    remote_id: str
    name: str
    time_zone: str = ""
    is_primary: bool = False
    read_only: bool = True


@dataclass(frozen=True)
class AuthorizationRequest:
    url: str
    state: str
    code_verifier: str


class CursorExpired(ProviderError):
    """The provider rejected the sync cursor (Google: 410): a full resync is needed."""


@dataclass(frozen=True)
class EventTime:
    """A start or end: an aware instant, or a calendar date for all-day events."""

    at: datetime | None = None
    day: date | None = None
    time_zone: str = ""

    @property
    def all_day(self) -> bool:
        return self.day is not None

    def key(self) -> str:
        """A stable text form: UTC for instants (so a zone change keeps it), the date else."""
        if self.day is not None:
            return self.day.strftime("%Y%m%d")
        return self.at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


@dataclass(frozen=True)
class Attendee:
    email: str
    name: str = ""
    response_status: str = ""
    resource: bool = False
    organizer: bool = False
    is_self: bool = False
    optional: bool = False


@dataclass(frozen=True)
class RemoteEvent:
    """One event or one occurrence as the provider shows it. Deleted ones carry only ids."""

    remote_id: str
    status: str = "confirmed"  # confirmed | tentative | cancelled
    ical_uid: str = ""
    series_id: str = ""  # the recurring event this is an occurrence of
    original_start: EventTime | None = None
    title: str = ""
    start: EventTime | None = None
    end: EventTime | None = None
    location: str = ""
    organizer: str = ""
    creator: str = ""
    attendees: tuple[Attendee, ...] = ()
    html_link: str = ""
    updated: datetime | None = None
    recurrence: tuple[str, ...] = ()
    problem: str = ""  # set when the provider's data could not be read; nothing else is

    @property
    def is_cancelled(self) -> bool:
        return self.status == "cancelled"

    @property
    def instance_key(self) -> str:
        """Identifies an occurrence within its series even after it was moved."""
        return self.original_start.key() if self.original_start else ""


@dataclass(frozen=True)
class Changes:
    """One page of changes. cursor is set on the last page only."""

    events: list[RemoteEvent] = field(default_factory=list)
    cursor: str | None = None
    next_page: str | None = None
    full_resync: bool = False  # this listing is complete, not a delta


@dataclass(frozen=True)
class Channel:
    channel_id: str
    resource_id: str
    expires_at: datetime | None


class CalendarProvider(Protocol):
    slug: str

    def list_calendars(self) -> list[RemoteCalendar]: ...

    def changes(self, calendar_id: str, cursor: str | None, page: str | None = None) -> Changes:
        """One page; raises CursorExpired when the cursor was rejected."""
        ...

    def current_tokens(self) -> Tokens: ...
