"""The Google simulator as the contract suite drives it (portier.sources.simulation)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from portier.sources.simulation import connect_by_consent

from .fake import FakeGoogle


class GoogleSimulator:
    def __init__(self) -> None:
        self.fake = FakeGoogle()

    def start(self) -> None:
        self.fake.start()

    def stop(self) -> None:
        self.fake.stop()

    def settings(self, *, page_size: int) -> Mapping[str, Any]:
        return {
            **self.fake.settings(),
            "GOOGLE_PAGE_SIZE": page_size,
            "GOOGLE_BACKOFF_SECONDS": 0.01,
        }

    def add_account(self, email: str, *, time_zone: str, other_calendar: str) -> None:
        self.fake.add_account(email, name=email, time_zone=time_zone, calendars=[other_calendar])

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
            summary=title,
            start=start,
            end=end,
            attendees=list(attendees),
            recurrence=list(recurrence) or None,
        )
        return event["id"]

    def update_event(self, account: str, event_id: str, *, title: str) -> None:
        self.fake.update_event(account, event_id, summary=title)

    def delete_event(self, account: str, event_id: str) -> None:
        self.fake.delete_event(account, event_id)

    def cancel_occurrence(self, account: str, series_id: str, original_start: datetime) -> None:
        self.fake.cancel_instance(account, series_id, original_start)

    def move_occurrence(
        self, account: str, series_id: str, original_start: datetime, start: datetime
    ) -> None:
        length = self._length(account, series_id)
        self.fake.move_instance(account, series_id, original_start, start=start, end=start + length)

    def _length(self, account: str, series_id: str):
        master = self.fake.get_event(account, series_id)
        begin = datetime.fromisoformat(master["start"]["dateTime"])
        return datetime.fromisoformat(master["end"]["dateTime"]) - begin

    def expire_cursors(self, account: str) -> None:
        self.fake.invalidate_sync_tokens(account)

    def revoke_grant(self, account: str) -> None:
        self.fake.revoke_account_tokens(account)
        self.fake.expire_access_tokens(account)

    def rate_limit_next(self, n: int) -> None:
        self.fake.fail_next(n, 403, "rateLimitExceeded")

    def notification(
        self, *, channel_id: str, token: str, resource_id: str
    ) -> tuple[dict[str, str], bytes]:
        headers = {
            "HTTP_X_GOOG_CHANNEL_ID": channel_id,
            "HTTP_X_GOOG_CHANNEL_TOKEN": token,
            "HTTP_X_GOOG_RESOURCE_ID": resource_id,
            "HTTP_X_GOOG_RESOURCE_STATE": "exists",
            "HTTP_X_GOOG_MESSAGE_NUMBER": "2",
        }
        return headers, b""
