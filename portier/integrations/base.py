"""What every calendar provider returns: plain dataclasses, no database, no side effects."""

from dataclasses import dataclass
from datetime import datetime
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


class CalendarProvider(Protocol):
    slug: str

    def list_calendars(self) -> list[RemoteCalendar]: ...

    def current_tokens(self) -> Tokens: ...
