"""Worker tasks of the sync: thin wrappers that re-read state before acting."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import DateTimeField, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from portier.integrations.models import Calendar
from portier.sources.base import ProviderError
from portier.sync import channels, engine, horizon
from portier.sync.lease import Lease

logger = logging.getLogger(__name__)
LEASE = timedelta(minutes=10)  # renewed after every page; a dead worker's lapses
# A queued sync that has not started by then is presumed lost (queue flushed, worker killed
# before it began): the next request enqueues another.
QUEUED_STALE = timedelta(minutes=5)


def request_sync(calendar_id: int, *, pushed: bool = False) -> bool:
    """Mark the calendar due; enqueue a sync unless one is already queued. Returns whether a
    task was enqueued. Requests that find a sync queued ride along with it; those that come
    while it runs get one follow-up at its end: a burst costs one sync plus at most one more.
    `pushed`: the request is a provider's push (its time is kept for the sync-lag metric)."""
    now = timezone.now()
    rows = Calendar.objects.filter(pk=calendar_id)
    due: dict = {"sync_requested_at": now}
    if pushed:  # the oldest push not yet covered by a sync
        due["push_received_at"] = Coalesce("push_received_at", Value(now, DateTimeField()))
    # One statement for a lone change, two within a burst, one commit: the webhook's cost.
    with transaction.atomic():
        enqueued = rows.filter(
            Q(sync_queued_at__isnull=True) | Q(sync_queued_at__lt=now - QUEUED_STALE)
        ).update(sync_queued_at=now, **due)
        if not enqueued:
            rows.update(**due)
    if enqueued:
        transaction.on_commit(lambda: _enqueue(calendar_id))
    return bool(enqueued)


def _enqueue(calendar_id: int) -> None:
    """At once, unless PORTIER_SYNC_DEBOUNCE_MS asks for a minimum time between the starts of
    two syncs of one calendar. It is 0 by default: waiting is not work, and the provider's
    rate limits are kept by the request budget of its client (portier/lib/ratelimit.py)."""
    spacing = timedelta(milliseconds=settings.PORTIER_SYNC_DEBOUNCE_MS)
    started = None
    if spacing:
        started = (
            Calendar.objects.filter(pk=calendar_id)
            .values_list("sync_started_at", flat=True)
            .first()
        )
    delay = (started + spacing - timezone.now()).total_seconds() if started else 0
    if delay > 0:
        sync_calendar_task.schedule(args=(calendar_id,), delay=delay)
    else:
        sync_calendar_task(calendar_id)


def run_sync(calendar_id: int) -> engine.SyncResult | None:
    """One sync under a lease: never two at once for a calendar; whatever was requested while
    it ran gets exactly one follow-up."""
    Calendar.objects.filter(pk=calendar_id).update(sync_queued_at=None)
    now = timezone.now()
    got_lease = (
        Calendar.objects.filter(pk=calendar_id)
        .filter(Q(sync_lease_until__isnull=True) | Q(sync_lease_until__lt=now))
        .update(sync_lease_until=now + LEASE, sync_requested_at=None, sync_started_at=now)
    )
    if not got_lease:
        return None  # the running sync will see sync_requested_at and follow up
    lease = Lease(calendar_id=calendar_id, started=now, length=LEASE)
    try:
        result = engine.sync_calendar(calendar_id, lease=lease)
        _record_push_lag(calendar_id, started=now)
        return result
    finally:
        lease.release()
        if Calendar.objects.filter(pk=calendar_id, sync_requested_at__isnull=False).exists():
            request_sync(calendar_id)


def _record_push_lag(calendar_id: int, *, started) -> None:
    """A push that came before this sync started is covered by it: keep push -> done."""
    pushed = (
        Calendar.objects.filter(pk=calendar_id, push_received_at__lte=started)
        .values_list("push_received_at", flat=True)
        .first()
    )
    if pushed is not None:
        lag = (timezone.now() - pushed).total_seconds()
        Calendar.objects.filter(pk=calendar_id, push_received_at=pushed).update(
            push_received_at=None, push_lag_seconds=lag
        )


@db_task(retries=3, retry_delay=30)
def sync_calendar_task(calendar_id: int) -> None:
    try:
        run_sync(calendar_id)
    except ProviderError as exc:
        if exc.permanent:
            return  # recorded on the calendar; retrying cannot help
        raise


def due_for_polling(now=None):
    """Every calendar at least hourly; every few minutes while it has no working channel."""
    now = now or timezone.now()
    hourly = now - timedelta(minutes=settings.PORTIER_POLL_MINUTES)
    often = now - timedelta(minutes=settings.PORTIER_POLL_MINUTES_WITHOUT_PUSH)
    no_push = Q(channel_id="") | Q(channel_failed_at__isnull=False) | Q(channel_resource_id="")
    return Calendar.objects.selected().filter(
        Q(synced_at__isnull=True) | Q(synced_at__lt=hourly) | (no_push & Q(synced_at__lt=often))
    )


@db_periodic_task(crontab(minute="*"))
def poll_calendars() -> None:
    for calendar_id in due_for_polling().values_list("pk", flat=True):
        request_sync(calendar_id)


@db_periodic_task(crontab(minute="*/15"))
def renew_channels() -> None:
    now = timezone.now()
    for calendar in Calendar.objects.selected().select_related("connection"):
        if channels.needs_channel(calendar, now):
            channels.open_channel(calendar)


@db_periodic_task(crontab(minute="7", hour="*/6"))
def roll_horizons() -> None:
    for calendar_id in Calendar.objects.selected().values_list("pk", flat=True):
        try:
            horizon.roll_horizon(calendar_id)
        except ProviderError as exc:
            logger.warning("calendar %s: horizon roll failed: %s", calendar_id, exc)


def start_following(calendar: Calendar) -> None:
    """A calendar became synced: open its channel and sync it now."""
    if channels.needs_channel(calendar):
        channels.open_channel(calendar)
    request_sync(calendar.pk)
