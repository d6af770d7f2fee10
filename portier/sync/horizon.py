"""Rolling the horizon: occurrences of a series become appointments as they come near."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from portier.integrations.models import Calendar
from portier.integrations.services import provider_for
from portier.sources.base import CalendarClient, ProviderError, RemoteEvent, series_instances
from portier.sync.context import context_for, fetch_rules, horizon_end
from portier.sync.links import apply_event, series_deleted
from portier.sync.models import SyncedEvent


def roll_horizon(calendar_id: int, *, now: datetime | None = None) -> int:
    """Occurrences that have come within the horizon since they were first seen become
    appointments. Returns how many occurrences were applied."""
    now = now or timezone.now()
    calendar = Calendar.objects.select_related("connection__company", "connection__user").get(
        pk=calendar_id
    )
    due = (
        SyncedEvent.objects.filter(
            calendar=calendar,
            marked=True,
            appointment__isnull=True,
            starts_at__lte=horizon_end(now),
            starts_at__gte=now,
        )
        .exclude(series_id="")
        .values_list("series_id", flat=True)
        .distinct()
    )
    applied = 0
    rules: dict[str, str] = {}
    context = context_for(calendar, now=now, rules=rules)
    with provider_for(calendar.connection) as provider:
        series = series_instances(provider)
        for series_id in list(due):
            if series is not None:
                try:
                    events = series.instances(calendar.remote_id, series_id, now, horizon_end(now))
                except ProviderError as exc:
                    if not _is_deleted(provider, calendar, series_id, exc):
                        raise
                    with transaction.atomic():
                        series_deleted(calendar, series_id, context)
                    continue
            else:  # without a series listing, re-read each occurrence that came due
                events = _due_occurrences(provider, calendar, series_id, now)
            fetch_rules(provider, calendar, events, rules)  # before any transaction opens
            for event in events:
                with transaction.atomic():
                    apply_event(calendar, event, now=now, context=context)
                applied += 1
    return applied


def _due_occurrences(
    provider: CalendarClient, calendar: Calendar, series_id: str, now: datetime
) -> list[RemoteEvent]:
    links = SyncedEvent.objects.filter(
        calendar=calendar,
        series_id=series_id,
        marked=True,
        appointment__isnull=True,
        starts_at__lte=horizon_end(now),
        starts_at__gte=now,
    )
    found = (provider.get_event(calendar.remote_id, link.remote_id) for link in links)
    return [event for event in found if event is not None]


def _is_deleted(
    provider: CalendarClient, calendar: Calendar, series_id: str, error: ProviderError
) -> bool:
    """A series that lists no instances because the provider shows it deleted (a listing of
    changes may have named only some of its dates). A plain "not found" proves nothing: the
    calendar itself may be out of reach, and errors are never deletions."""
    if error.status not in (404, 410):
        return False
    master = provider.get_event(calendar.remote_id, series_id)
    return master is not None and master.is_cancelled
