"""The simulator's accounts, grants and subscriptions."""

import secrets
from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class Account:
    email: str
    name: str
    oid: str = field(default_factory=lambda: secrets.token_hex(8))
    time_zone: str = "UTC"  # IANA, for the sandbox calendar page
    calendars: dict[str, str] = field(default_factory=dict)  # id -> name; first is default


@dataclass
class Grant:
    account: str
    refresh_tokens: set[str] = field(default_factory=set)
    access_tokens: dict[str, datetime] = field(default_factory=dict)
    revoked: bool = False


@dataclass
class Subscription:
    id: str
    account: str
    resource: str
    client_state: str
    notification_url: str
    lifecycle_url: str
    expires: datetime
