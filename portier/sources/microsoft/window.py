"""The calendar view's window and the cursor that carries it.

A calendar-view delta is bound to the window of its first request (Graph encodes it into the
delta link), so the window does not move by itself: the cursor remembers where it started, and
a week later the next sync lists the calendar afresh over a new window (a full listing, which
the engine compares with what it knows).
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings

LOOKBACK = timedelta(days=1)  # past visits need no invitations
MOVE_AFTER = timedelta(days=7)
SEPARATOR = "|"


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Window:
    start: datetime
    link: str = ""

    @classmethod
    def starting_now(cls) -> "Window":
        return cls(start=datetime.now(UTC).replace(microsecond=0) - LOOKBACK)

    @classmethod
    def split(cls, text: str) -> tuple["Window", str]:
        start, _, link = text.partition(SEPARATOR)
        return cls(start=datetime.fromisoformat(start.replace("Z", "+00:00")), link=link), link

    @classmethod
    def of_cursor(cls, cursor: str) -> "Window | None":
        try:
            return cls.split(cursor)[0]
        except ValueError:
            return None  # a cursor of another shape: list afresh

    @property
    def end(self) -> datetime:
        days = max(settings.MICROSOFT_SYNC_WINDOW_DAYS, settings.PORTIER_SYNC_HORIZON_DAYS + 8)
        return self.start + timedelta(days=days)

    def params(self) -> dict[str, str]:
        return {"startDateTime": _iso(self.start), "endDateTime": _iso(self.end)}

    def is_stale(self) -> bool:
        return self.start < datetime.now(UTC) - LOOKBACK - MOVE_AFTER

    def joined(self, link: str) -> str:
        return f"{_iso(self.start)}{SEPARATOR}{link}"
