"""The calendar-source port: what a source declares, what its client returns.

A source (one package under portier/sources/) fetches and parses only: plain dataclasses in and
out, no database, no side effects. What it can do beyond the required methods (push channels,
revocation, listing a series' occurrences) it declares in ``capabilities``; the engine asks the
declaration and never probes for methods.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, Self, cast

if TYPE_CHECKING:
    from django import forms
    from django.utils.functional import Promise


class ProviderError(Exception):
    """A provider call failed.

    permanent: retrying the same call will not help (bad request, not found).
    reauth: the grant is gone (revoked, expired); the host must reconnect.
    """

    def __init__(
        self,
        message: str,
        *,
        permanent: bool = False,
        reauth: bool = False,
        status: int | None = None,
    ):
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
        assert self.at is not None, "an EventTime has an instant or a day"
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


class EventKind(StrEnum):
    """What a RemoteEvent stands for. Sources that know a whole series went away in one item
    (CalDAV: one resource; Graph: a seriesMaster) say so; the engine also reads a tombstone
    whose id is a series it knows (Google's cancelled master) as one."""

    EVENT = "event"  # one event or one occurrence
    SERIES_DELETED = "series_deleted"  # remote_id is the series; every occurrence is gone


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
    kind: EventKind = EventKind.EVENT

    @classmethod
    def series_deletion(cls, series_id: str) -> RemoteEvent:
        """The whole series is gone (its occurrences need not be listed one by one)."""
        return cls(remote_id=series_id, status="cancelled", kind=EventKind.SERIES_DELETED)

    @property
    def is_cancelled(self) -> bool:
        return self.status == "cancelled"

    @property
    def is_series_deletion(self) -> bool:
        return self.kind == EventKind.SERIES_DELETED

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


class Capability(StrEnum):
    """What a source can do beyond listing calendars and reading changes."""

    PUSH = "push"  # watch()/stop_channel() and parse_notification: changes are pushed
    REVOKE = "revoke"  # revoke(): the grant can be withdrawn at the provider on disconnect
    SERIES_INSTANCES = "series_instances"  # instances(): a series' occurrences in a window


class CalendarClient(Protocol):
    """One connected account of a source. Built per task from the stored tokens."""

    slug: ClassVar[str]
    capabilities: ClassVar[frozenset[Capability]]

    def __enter__(self) -> Self: ...

    def __exit__(self, *exc: object) -> None: ...

    def current_tokens(self) -> Tokens:
        """The tokens as they are now (refreshed ones included); the caller stores them."""
        ...

    def list_calendars(self) -> list[RemoteCalendar]: ...

    def account(self, calendars: list[RemoteCalendar] | None = None) -> Account:
        """Whom the grant belongs to (given the calendars when they were just listed)."""
        ...

    def changes(self, calendar_id: str, cursor: str | None, page: str | None = None) -> Changes:
        """One page; raises CursorExpired when the cursor was rejected."""
        ...

    def get_event(self, calendar_id: str, event_id: str) -> RemoteEvent | None:
        """One event (a series' master too); None when it is gone."""
        ...


class ClientClass(Protocol):
    """A client class: declares its capabilities, is built from the stored tokens."""

    @property
    def capabilities(self) -> frozenset[Capability]: ...

    def __call__(self, tokens: Tokens) -> CalendarClient: ...


class PushChannels(CalendarClient, Protocol):
    """Capability.PUSH."""

    def watch(
        self, calendar_id: str, *, channel_id: str, token: str, address: str, ttl: int
    ) -> Channel: ...

    def stop_channel(self, *, channel_id: str, resource_id: str) -> None: ...


class Revocable(CalendarClient, Protocol):
    """Capability.REVOKE."""

    def revoke(self) -> None: ...


class SeriesInstances(CalendarClient, Protocol):
    """Capability.SERIES_INSTANCES."""

    def instances(
        self, calendar_id: str, series_id: str, time_min: datetime, time_max: datetime
    ) -> list[RemoteEvent]: ...


def push_channels(client: CalendarClient) -> PushChannels | None:
    """The client as a push source, if it declares push."""
    return cast(PushChannels, client) if Capability.PUSH in client.capabilities else None


def revocable(client: CalendarClient) -> Revocable | None:
    return cast(Revocable, client) if Capability.REVOKE in client.capabilities else None


def series_instances(client: CalendarClient) -> SeriesInstances | None:
    if Capability.SERIES_INSTANCES in client.capabilities:
        return cast(SeriesInstances, client)
    return None


@dataclass(frozen=True)
class PushNotice:
    """A push message as the source read it; the generic view checks it against the stored
    channel. changed=False is a handshake ("sync") that asks for no sync."""

    channel_id: str
    token: str
    resource_id: str = ""
    changed: bool = True
    renew: bool = False  # the provider dropped or paused the channel: replace it soon


class OAuthFlow(ABC):
    """Connect by redirecting the browser to the provider and back to /callback/."""

    @abstractmethod
    def start(self, *, redirect_uri: str, login_hint: str | None = None) -> AuthorizationRequest:
        """Where to send the browser; the caller keeps state and verifier in the session."""

    @abstractmethod
    def finish(self, *, redirect_uri: str, code: str, code_verifier: str) -> Tokens:
        """Exchange the code; raises ProviderError."""


class FormFlow(ABC):
    """Connect with what the host types in (a server URL and an app password, say)."""

    @abstractmethod
    def form(self, data: Mapping[str, Any] | None = None) -> forms.Form: ...

    @abstractmethod
    def tokens(self, cleaned_data: Mapping[str, Any]) -> Tokens:
        """What the client needs, stored encrypted as the connection's tokens."""


ConnectFlow = OAuthFlow | FormFlow


@dataclass(frozen=True)
class Source:
    """One calendar source as the registry knows it: everything the rest of Portier may use."""

    slug: str
    name: str | Promise  # shown to hosts: "Google Calendar"
    client: ClientClass
    connect: ConnectFlow
    is_configured: Callable[[], bool] = lambda: True
    # One push request as notices (a source may batch several in one request).
    parse_notification: (
        Callable[[Mapping[str, str], bytes], PushNotice | list[PushNotice] | None] | None
    ) = None
    # The push address's validation: given the query, the text to echo (Graph), else None.
    answer_handshake: Callable[[Mapping[str, str]], str | None] | None = None
    notification_status: int = 200  # what a push request is answered with (Graph: 202)
    room_domains: tuple[str, ...] = ()  # attendees at these domains are rooms, never guests
    simulator: str = ""  # dotted path of its Simulator (portier.sources.simulation)
    help_text: str | Promise = ""  # shown to hosts under the source's name on Integrations

    @property
    def capabilities(self) -> frozenset[Capability]:
        """Declared once, by the client class that implements them."""
        return self.client.capabilities

    def supports(self, capability: Capability) -> bool:
        return capability in self.capabilities
