"""What a source's simulator offers the contract suite (portier/sources/tests/).

Every registered source names a simulator: a loopback fake of its provider that speaks the
real protocol (Google's), or an in-process one for a source without a network side. The
contract suite drives each through this one interface, and runs a capability's tests only for
the sources that declare it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol
from urllib.parse import urlsplit

from django.urls import reverse


class Simulator(Protocol):
    def start(self) -> None: ...

    def stop(self) -> None: ...

    def settings(self, *, page_size: int) -> Mapping[str, Any]:
        """Portier's settings aimed at this simulator, listing page_size events a page."""
        ...

    def add_account(self, email: str, *, time_zone: str, other_calendar: str) -> None:
        """An account whose primary calendar is ``email``, plus one more named calendar."""
        ...

    def connect(self, client: Any, slug: str, account: str) -> Any:
        """Connect ``account`` the way a host does, through Portier's views with the Django
        test ``client`` (the OAuth redirect and consent, or the form); the last response."""
        ...

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
        """The new event's (or series') remote id."""
        ...

    def update_event(self, account: str, event_id: str, *, title: str) -> None: ...

    def delete_event(self, account: str, event_id: str) -> None: ...

    def cancel_occurrence(self, account: str, series_id: str, original_start: datetime) -> None: ...

    def move_occurrence(
        self, account: str, series_id: str, original_start: datetime, start: datetime
    ) -> None: ...

    def expire_cursors(self, account: str) -> None:
        """Every stored sync cursor of the account's primary calendar is rejected now."""
        ...

    def revoke_grant(self, account: str) -> None:
        """The host withdrew Portier's access at the provider."""
        ...

    def rate_limit_next(self, n: int) -> None:
        """The next n API calls are refused for rate (the provider's own answer)."""
        ...

    def notification(
        self, *, channel_id: str, token: str, resource_id: str
    ) -> tuple[dict[str, str], bytes]:
        """A push message "something changed" as the provider sends it: Django test-client
        headers (HTTP_...) and body. Only for sources that declare Capability.PUSH."""
        ...


def connect_by_consent(client: Any, slug: str, approve: Any, account: str) -> Any:
    """An OAuth source's connect as a host does it: start it, consent at the simulator as
    `account` (`approve(authorize_url, account=...)` returns the redirect back), follow it."""
    started = client.post(reverse("integrations:connect", args=[slug]))
    back = urlsplit(approve(started["Location"], account=account))
    return client.get(f"{back.path}?{back.query}", follow=True)
