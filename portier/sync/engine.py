"""Sync one calendar: fetch changes page by page and make appointments follow them.

Effects of a page are committed before the next page is fetched; the cursor is stored in the
transaction of the last page. A crash anywhere replays from the stored cursor, and replaying is
harmless: appointments only change when their fingerprint does.

A page's transaction only writes: whatever the page needs from the provider (the page itself,
the rules of its series) is fetched before it opens, so a slow provider (retries, 30 s
timeouts) never holds SQLite's write lock while web requests wait for it. Each event goes
through `sync.links.apply_event`, a thin caller of `visits.reconcile`.
"""

import logging
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from portier.integrations.models import Calendar, Connection, Status
from portier.integrations.services import provider_for, record_provider_error, store_tokens
from portier.invitations import services as invitations
from portier.lib import batch
from portier.locations.placement import coded_locations
from portier.sources.base import CalendarClient, CursorExpired, ProviderError
from portier.sync.context import context_for, fetch_rules, horizon_end
from portier.sync.lease import Lease, LeaseLost
from portier.sync.links import PageLinks, apply_event, withdraw_link, worth_applying
from portier.sync.models import SyncedEvent
from portier.visits.reconcile import Context

__all__ = ["SyncResult", "apply_event", "horizon_end", "sync_calendar"]

logger = logging.getLogger(__name__)
MAX_RESTARTS = 3
PAST_GRACE = timedelta(days=1)


@dataclass
class SyncResult:
    pages: int = 0
    events: int = 0
    full: bool = False
    restarts: int = 0


def sync_calendar(calendar_id: int, *, lease: Lease | None = None) -> SyncResult | None:
    # Re-read: the host may have disconnected or deselected the calendar since it was queued.
    calendar = Calendar.objects.select_related(
        "connection__company", "connection__user", "connection__location"
    ).get(pk=calendar_id)
    if not Calendar.objects.selected().filter(pk=calendar.pk).exists():
        return None
    Calendar.objects.filter(pk=calendar.pk).update(status=Status.SYNCING)  # shown to the host
    started = timezone.now()
    result = SyncResult()
    cursor = calendar.sync_cursor or None
    page = None
    seen: set[str] = set()
    rules: dict[str, str] = {}  # series rules fetched so far, for every page of this sync
    context = context_for(calendar, now=started, rules=rules)
    with provider_for(calendar.connection) as provider:
        try:
            while True:
                try:
                    changes = provider.changes(calendar.remote_id, cursor, page)
                except CursorExpired:
                    # 410: the cursor is gone (also mid-chain). Start over with a full listing,
                    # which is then compared with what we stored.
                    result.restarts += 1
                    if result.restarts > MAX_RESTARTS:
                        raise
                    logger.info("calendar %s: sync cursor rejected, full resync", calendar.pk)
                    cursor, page, seen = None, None, set()
                    continue
                result.pages += 1
                result.full = changes.full_resync
                # Everything the page needs from the provider is fetched before its
                # transaction opens: on SQLite that transaction holds the write lock.
                fetch_rules(provider, calendar, changes.events, rules)
                # The page's versions, contacts and log lines go in one statement each, at
                # the end of its transaction (lib/batch.py).
                with transaction.atomic(), batch.deferred():
                    if lease is not None:
                        lease.renew()  # in the page's transaction: lost lease, nothing written
                    links = PageLinks(calendar, changes.events)
                    worth = worth_applying(calendar, changes.events, links)
                    # The location codes and the new events' appointments, read once a page
                    # (an admin may change the codes meanwhile).
                    page_context = context
                    if worth:
                        codes = coded_locations(calendar.connection.company)
                        page_context = replace(context, location_codes=codes, find=links.find)
                    for event in worth:
                        apply_event(calendar, event, now=started, context=page_context, links=links)
                    seen.update(event.remote_id for event in changes.events)
                    result.events += len(changes.events)
                    if not changes.next_page:
                        if changes.full_resync:
                            _cancel_missing(calendar, seen, context)
                        # E-mails planned between this chain's pages (or a dead chain's)
                        # saw a listing under way: they get checked (listing_complete).
                        chained = result.pages > 1 or calendar.status != Status.CONNECTED
                        _finish(calendar, provider, changes.cursor, started, chained=chained)
                if not changes.next_page:
                    return result
                page = changes.next_page
        except ProviderError as exc:
            _fail(calendar, exc)
            raise
        except LeaseLost:
            logger.warning("calendar %s: lease lost, leaving it to the other sync", calendar.pk)
            return result
        except Exception as exc:
            # A bug or bad data must not leave the calendar looking "syncing" for ever.
            Calendar.objects.filter(pk=calendar.pk).update(
                status=Status.ERROR, last_error=f"internal error: {type(exc).__name__}"
            )
            raise


def _finish(
    calendar: Calendar,
    provider: CalendarClient,
    cursor: str | None,
    started: datetime,
    *,
    chained: bool = True,
) -> None:
    """Store the cursor and the refreshed tokens, unless the host disconnected meanwhile:
    then the tokens stay deleted and the cursor unset."""
    connection = Connection.objects.select_for_update().get(pk=calendar.connection_id)
    if not connection.is_active:
        return
    Calendar.objects.filter(pk=calendar.pk).update(
        sync_cursor=cursor or "",
        synced_at=started,
        last_error="",
        status=Status.CONNECTED,
    )
    if chained:
        invitations.listing_complete(calendar, since=calendar.synced_at)  # the last one's start
    store_tokens(connection, provider.current_tokens())
    fields = ["refresh_token", "access_token", "access_token_expires_at", "scopes"]
    if connection.status == Status.ERROR:
        connection.status, connection.last_error = Status.CONNECTED, ""
        fields += ["status", "last_error"]
    connection.save(update_fields=fields)


def _fail(calendar: Calendar, exc: ProviderError) -> None:
    logger.warning("calendar %s: sync failed: %s", calendar.pk, exc)
    if exc.reauth:
        record_provider_error(connection=calendar.connection, error=exc)
    Calendar.objects.filter(pk=calendar.pk).update(status=Status.ERROR, last_error=str(exc)[:2000])


def _cancel_missing(calendar: Calendar, seen: set[str], context: Context) -> None:
    """After a full listing: marked events we know of that the listing no longer has were
    deleted in the gap. Only those are cancelled; past ones are left alone."""
    missing = (
        SyncedEvent.objects.select_for_update()
        .filter(calendar=calendar, marked=True, starts_at__gte=context.now - PAST_GRACE)
        .exclude(remote_id__in=seen)
    )
    for link in missing:
        withdraw_link(calendar, link, context)
