"""The Microsoft simulator as the contract suite drives it (portier.sources.simulation)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from urllib.parse import urlencode, urlsplit

from django.test import Client

from portier.sources.microsoft.simulator.events import recurrence_of
from portier.sources.microsoft.simulator.fake import FakeMicrosoft
from portier.sources.microsoft.zones import windows_name
from portier.sources.simulation import connect_by_consent


def through_test_client(url: str, *, body: bytes, query: dict[str, str] | None) -> tuple[int, str]:
    """Deliver to Portier's view in this process (no live server in the suite)."""
    path = urlsplit(url).path + ("?" + urlencode(query) if query else "")
    response = Client().post(path, data=body, content_type="application/json")
    return response.status_code, response.content.decode()


class MicrosoftSimulator:
    def __init__(self) -> None:
        self.fake = FakeMicrosoft()
        self.zones: dict[str, str] = {}

    def start(self) -> None:
        self.fake.deliver = through_test_client
        self.fake.certificates.trust()
        self.fake.start()

    def stop(self) -> None:
        self.fake.stop()
        self.fake.certificates.untrust()

    def settings(self, *, page_size: int) -> Mapping[str, Any]:
        fake = self.fake
        return {
            "MICROSOFT_CLIENT_ID": fake.client_id,
            "MICROSOFT_CLIENT_SECRET": fake.client_secret,
            "MICROSOFT_AUTHORITY": fake.authority,
            "MICROSOFT_GRAPH_URL": fake.graph_url,
            "MICROSOFT_PAGE_SIZE": page_size,
            "MICROSOFT_BACKOFF_SECONDS": 0.01,
            "MICROSOFT_MAILBOX_REQUESTS_PER_SECOND": 0,
        }

    def add_account(self, email: str, *, time_zone: str, other_calendar: str) -> None:
        self.fake.add_account(email, name=email, calendars=[other_calendar])
        self.zones[email] = windows_name(time_zone)

    def connect(self, client: Any, slug: str, account: str) -> Any:
        return connect_by_consent(client, slug, self.fake.approve_url, account)

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
        event = self.fake.create_event(
            account,
            subject=title,
            start=start,
            end=end,
            zone=self.zones.get(account, "UTC"),
            attendees=list(attendees),
            recurrence=recurrence_of(recurrence),
        )
        return event.id

    def update_event(self, account: str, event_id: str, *, title: str) -> None:
        self.fake.update_event(event_id, subject=title)

    def delete_event(self, account: str, event_id: str) -> None:
        self.fake.delete_event(event_id)

    def cancel_occurrence(self, account: str, series_id: str, original_start: datetime) -> None:
        self.fake.cancel_occurrence(series_id, original_start)

    def move_occurrence(
        self, account: str, series_id: str, original_start: datetime, start: datetime
    ) -> None:
        self.fake.move_occurrence(series_id, original_start, start)

    def expire_cursors(self, account: str) -> None:
        self.fake.invalidate_delta_tokens()

    def revoke_grant(self, account: str) -> None:
        self.fake.revoke(account)

    def rate_limit_next(self, n: int) -> None:
        self.fake.fail_next(n, 429, retry_after=0)

    def notification(
        self, *, channel_id: str, token: str, resource_id: str
    ) -> tuple[dict[str, str], bytes]:
        item = {
            "subscriptionId": resource_id,
            "clientState": f"{channel_id}.{token}",
            "changeType": "updated",
            "resource": "me/events/x",
        }
        return {}, json.dumps({"value": [item]}).encode()
