"""A sync run's hold on its calendar, so that two workers never sync it at once."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from portier.integrations.models import Calendar


class LeaseLost(Exception):
    """Another worker took this calendar over (ours lapsed): stop without writing more."""


@dataclass
class Lease:
    """This run's hold on a calendar, identified by its start time. Renewed after each page;
    only the holder may release it, and a run that lost it stops."""

    calendar_id: int
    started: datetime
    length: timedelta

    def _mine(self):
        return Calendar.objects.filter(pk=self.calendar_id, sync_started_at=self.started)

    def renew(self) -> None:
        if not self._mine().update(sync_lease_until=timezone.now() + self.length):
            raise LeaseLost(f"calendar {self.calendar_id}: another sync took over")

    def release(self) -> None:
        self._mine().update(sync_lease_until=None)
