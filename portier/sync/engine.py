"""Sync one calendar: fetch changes page by page and make appointments follow them.

Effects of a page are committed before the next page is fetched; the cursor is stored in the
transaction of the last page. A crash anywhere replays from the stored cursor, and replaying is
harmless: appointments only change when their fingerprint does.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portier.integrations.models import Calendar, Connection, Status
from portier.integrations.services import provider_for, record_provider_error, store_tokens
from portier.locations.codes import without_code
from portier.sources.base import CalendarClient, CursorExpired, ProviderError, RemoteEvent
from portier.sync import log as sync_log
from portier.sync import reasons
from portier.sync.events import (
    classify_attendees,
    is_marked,
    is_organized_inside,
    start_instant,
    timing_of,
)
from portier.sync.lease import Lease, LeaseLost
from portier.sync.models import Action, SyncedEvent
from portier.sync.placing import held, placement_of, series_of
from portier.visits import services as visits
from portier.visits.models import Appointment

logger = logging.getLogger(__name__)
MAX_RESTARTS = 3
PAST_GRACE = timedelta(days=1)


@dataclass
class SyncResult:
    pages: int = 0
    events: int = 0
    full: bool = False
    restarts: int = 0


def horizon_end(now: datetime) -> datetime:
    return now + timedelta(days=settings.PORTIER_SYNC_HORIZON_DAYS)


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
                with transaction.atomic():
                    if lease is not None:
                        lease.renew()  # in the page's transaction: lost lease, nothing written
                    for event in changes.events:
                        apply_event(calendar, event, now=started, provider=provider)
                        seen.add(event.remote_id)
                    result.events += len(changes.events)
                    if not changes.next_page:
                        if changes.full_resync:
                            _cancel_missing(calendar, seen, now=started)
                        _finish(calendar, provider, changes.cursor, started)
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
    calendar: Calendar, provider: CalendarClient, cursor: str | None, started: datetime
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


def apply_event(
    calendar: Calendar,
    event: RemoteEvent,
    *,
    now: datetime,
    provider: CalendarClient | None = None,
) -> None:
    """Make Portier's state match one remote event. Safe to call any number of times."""
    if event.problem:
        # Keep what we have for it; say why it was skipped; go on with the others.
        sync_log.record(
            calendar=calendar,
            action=Action.ERROR,
            remote_id=event.remote_id,
            title=event.title,
            code=reasons.UNREADABLE,
            params={"detail": event.problem.removeprefix("unreadable event data: ")},
        )
        return
    link = (
        SyncedEvent.objects.select_for_update()
        .filter(calendar=calendar, remote_id=event.remote_id)
        .first()
    )
    if event.is_cancelled:
        if link and link.marked:
            code = reasons.OCCURRENCE_CANCELLED if event.series_id else reasons.EVENT_DELETED
            _unlink(link, code=code)
        return
    if not is_marked(event) or event.start is None:
        if link and link.marked:
            _unlink(link, code=reasons.MARKER_REMOVED)
        return
    if not is_organized_inside(event, calendar=calendar):
        # Someone outside put the marker on the host's calendar (an invitation of theirs):
        # Portier must not write to people in the company's name for them.
        if link and link.marked:
            _unlink(link, code=reasons.OUTSIDE_ORGANIZER)
        sync_log.record(
            calendar=calendar,
            action=Action.IGNORED,
            remote_id=event.remote_id,
            title=event.title,
            code=reasons.OUTSIDE_ORGANIZER,
        )
        return
    starts_at = start_instant(event.start, calendar.time_zone)
    assert starts_at is not None  # event.start was checked above
    if link is None:
        link = SyncedEvent(calendar=calendar, remote_id=event.remote_id)
    link.ical_uid = event.ical_uid or event.remote_id
    link.instance_key = event.instance_key
    link.series_id = event.series_id
    link.starts_at = starts_at
    link.remote_updated = event.updated
    link.marked = True
    ends_at = start_instant(event.end, calendar.time_zone) or starts_at
    if link.appointment_id is None:
        if ends_at < now:
            link.save()
            sync_log.record(
                calendar=calendar,
                action=Action.IGNORED,
                remote_id=event.remote_id,
                title=event.title,
                code=reasons.IN_THE_PAST,
            )
            return
        if event.series_id and starts_at > horizon_end(now):
            link.save()  # an occurrence for later: the horizon roll picks it up
            return
    link.save()
    _place(calendar, link, event, provider)


def _host_emails(calendar: Calendar) -> set[str]:
    connection = calendar.connection
    return {connection.account_id.lower(), connection.user.email.lower()}


def _owns(calendar: Calendar, appointment: Appointment, event: RemoteEvent) -> bool:
    """Which calendar speaks for a shared appointment: the organizer's, else the first."""
    owner_id = appointment.calendar_id
    if owner_id is None or owner_id == calendar.pk:
        return True
    owner_calendar = Calendar.objects.filter(pk=owner_id).first()
    owner_link_alive = SyncedEvent.objects.filter(
        calendar_id=owner_id, appointment=appointment, marked=True
    ).exists()
    if owner_calendar is None or not owner_link_alive:
        return True
    organizer = event.organizer.lower()
    return organizer in _host_emails(calendar) and organizer not in _host_emails(owner_calendar)


def _place(
    calendar: Calendar,
    link: SyncedEvent,
    event: RemoteEvent,
    provider: CalendarClient | None = None,
) -> None:
    connection = calendar.connection
    company = connection.company
    people = classify_attendees(event, company=company, host_emails=_host_emails(calendar))
    appointment = link.appointment or (
        Appointment.objects.select_for_update()
        .filter(company=company, ical_uid=link.ical_uid, instance_key=link.instance_key)
        .first()
    )
    if appointment is None and not people.external:
        sync_log.record(
            calendar=calendar,
            action=Action.IGNORED,
            remote_id=event.remote_id,
            title=event.title,
            code=reasons.NO_OUTSIDE_GUESTS,
        )
        return
    placement = placement_of(calendar, event, appointment)
    location = placement["location"]
    # Guests read neither the location code tag nor a code alone in the location field.
    code = placement["location_code"] or placement["held_code"]
    title = without_code(event.title, code) or _("(no title)")
    timing = timing_of(event, location_zone=location.time_zone)
    series = (
        series_of(calendar, event, connection.user, provider, title) if event.series_id else None
    )
    source: dict[str, Any] = {
        "connection": connection,
        "calendar": calendar,
        "remote_id": event.remote_id,
        "html_link": event.html_link[:1000],
        "location_text": without_code(event.location, code)[:500],
    }
    if appointment is None:
        try:
            appointment, change = visits.create_appointment(  # its own savepoint
                company=company,
                host=connection.user,
                title=title,
                timing=timing,
                guests=people.guests,
                source=connection.provider,
                ical_uid=link.ical_uid,
                instance_key=link.instance_key,
                series=series,
                **placement,
                **source,
            )
        except IntegrityError:
            # Another host's calendar created the same occurrence at this very moment (their
            # sync runs in parallel): it exists now, so place this event on it instead.
            if not Appointment.objects.filter(
                company=company, ical_uid=link.ical_uid, instance_key=link.instance_key
            ).exists():
                raise
            _place(calendar, link, event, provider)
            return
        link.appointment = appointment
        link.save(update_fields=["appointment"])
        sync_log.record(
            calendar=calendar,
            action=Action.PICKED_UP,
            remote_id=event.remote_id,
            title=title,
            appointment=appointment,
        )
        held(calendar, event, appointment)
        sync_log.record_emails(calendar, event.remote_id, appointment, change)
        return
    if link.appointment_id != appointment.pk:
        link.appointment = appointment
        link.save(update_fields=["appointment"])
    if not _owns(calendar, appointment, event):
        return  # another host's calendar speaks for this appointment
    change = visits.update_appointment(
        appointment=appointment,
        guests=people.guests,
        timing=timing,
        title=title,
        host=connection.user,
        reactivate=appointment.is_cancelled,
        series=series,
        **placement,
        **source,
    )
    held(calendar, event, appointment)
    if change.kind == "unchanged":
        return
    params: dict[str, Any] = {"fields": list(change.changed)}
    params.update(added=len(change.added), removed=len(change.removed))
    if change.released:
        action, code = Action.RELEASED, reasons.RELEASED
        params = {"location": location.name}
    elif change.kind == "created":
        action, code, params = Action.PICKED_UP, "", {}
    else:
        action, code = Action.UPDATED, reasons.CHANGED
    sync_log.record(
        calendar=calendar,
        action=action,
        remote_id=event.remote_id,
        title=title,
        code=code,
        params=params,
        appointment=appointment,
    )
    sync_log.record_emails(calendar, event.remote_id, appointment, change)


def _unlink(link: SyncedEvent, *, code: str) -> None:
    """This calendar no longer shows the marked event. The appointment is cancelled once no
    calendar of the company shows it any more; otherwise another calendar takes it over."""
    link.marked = False
    link.save(update_fields=["marked"])
    appointment = link.appointment
    if appointment is None or appointment.is_cancelled:
        return
    others = (
        SyncedEvent.objects.filter(appointment=appointment, marked=True)
        .exclude(pk=link.pk)
        .select_related("calendar__connection")
    )
    heir = next((o for o in others if o.calendar.connection.is_active), None)
    calendar = link.calendar
    if heir is None:
        change = visits.cancel_appointment(appointment=appointment, reason=code)
        sync_log.record(
            calendar=calendar,
            action=Action.CANCELLED,
            remote_id=link.remote_id,
            title=appointment.title,
            code=code,
            appointment=appointment,
        )
        sync_log.record_emails(calendar, link.remote_id, appointment, change)
        return
    if appointment.calendar_id == calendar.pk:
        connection = heir.calendar.connection
        Appointment.objects.filter(pk=appointment.pk).update(
            calendar=heir.calendar,
            connection=connection,
            remote_id=heir.remote_id,
        )


def _cancel_missing(calendar: Calendar, seen: set[str], *, now: datetime) -> None:
    """After a full listing: marked events we know of that the listing no longer has were
    deleted in the gap. Only those are cancelled; past ones are left alone."""
    missing = (
        SyncedEvent.objects.select_for_update()
        .filter(calendar=calendar, marked=True, starts_at__gte=now - PAST_GRACE)
        .exclude(remote_id__in=seen)
    )
    for link in missing:
        _unlink(link, code=reasons.EVENT_DELETED)
