"""One calendar's side of reconciling: the link between its event and the appointment, the
sync log, the host's notice about a held code. The decisions are `visits.reconcile`'s."""

from datetime import datetime
from typing import Any

from portier.integrations.models import Calendar
from portier.sources.base import RemoteEvent
from portier.sync import log as sync_log
from portier.sync import notices, reasons
from portier.sync.context import context_for
from portier.sync.models import Action, SyncedEvent
from portier.visits.models import Appointment
from portier.visits.reconcile import ASK, Context, Known, Outcome, Reason, Verdict, reconcile
from portier.visits.remote_events import is_marked, start_instant

CODES = {
    Reason.EVENT_DELETED: reasons.EVENT_DELETED,
    Reason.OCCURRENCE_CANCELLED: reasons.OCCURRENCE_CANCELLED,
    Reason.MARKER_REMOVED: reasons.MARKER_REMOVED,
    Reason.OUTSIDE_ORGANIZER: reasons.OUTSIDE_ORGANIZER,
    Reason.IN_THE_PAST: reasons.IN_THE_PAST,
    Reason.NO_OUTSIDE_GUESTS: reasons.NO_OUTSIDE_GUESTS,
}


class PageLinks:
    """The links of a page's events, read (and locked) in one query with their appointments,
    instead of a locking SELECT and the appointment's each. A copy the page may have made
    stale is read again: every link after a series deletion (it unmarks links in bulk), and
    after an event, its own and those sharing its appointment (the services change a fresh
    copy of the appointment)."""

    def __init__(self, calendar: Calendar, events: list[RemoteEvent]):
        self.calendar = calendar
        ids = {event.remote_id for event in events}
        self.rows = {
            link.remote_id: link
            # Lock the links only: PostgreSQL refuses FOR UPDATE on the nullable side.
            for link in SyncedEvent.objects.select_for_update(of=("self",))
            .filter(calendar=calendar, remote_id__in=ids)
            .select_related("appointment__location")
        }
        self.linked = frozenset(self.rows)  # linked before the page: worth applying
        self.absent = ids - self.linked  # known to have no link (until applied)
        self.occurrences = self._occurrences(calendar, events)
        self._sharing: dict[int | None, list] | None = None

    def get(self, remote_id: str) -> SyncedEvent | None:
        if remote_id in self.rows:
            return self.rows[remote_id]
        if remote_id in self.absent:
            return None
        return _read_link(self.calendar, remote_id)

    def _occurrences(self, calendar: Calendar, events: list[RemoteEvent]) -> dict:
        """The company's appointments of the page's new marked events, by occurrence (None:
        none yet), read and locked in one query instead of one each."""
        wanted = {
            (event.ical_uid or event.remote_id, event.instance_key)
            for event in events
            if event.remote_id in self.absent and is_marked(event) and not event.is_cancelled
        }
        if not wanted:
            return {}
        found: dict = dict.fromkeys(wanted)
        appointments = (
            Appointment.objects.select_for_update(of=("self",))
            .filter(
                company_id=calendar.connection.company_id,
                ical_uid__in={ical_uid for ical_uid, _key in wanted},
                instance_key__in={key for _uid, key in wanted},
            )
            .select_related("location")
            .order_by("pk")  # locked in one order by every sync
        )
        for appointment in appointments:
            occurrence = (appointment.ical_uid, appointment.instance_key)
            if occurrence in found:
                found[occurrence] = appointment
        return found

    def find(self, ical_uid: str, instance_key: str) -> Appointment | None | object:
        """reconcile's Context.find: what the page read, else ASK."""
        return self.occurrences.get((ical_uid, instance_key), ASK)

    def applied(self, event: RemoteEvent, *appointment_ids: int | None) -> None:
        self.rows.pop(event.remote_id, None)
        self.absent.discard(event.remote_id)
        self.occurrences.pop((event.ical_uid or event.remote_id, event.instance_key), None)
        if self._sharing is None:  # what shows each appointment, made when first needed
            self._sharing = {}
            for remote_id, link in self.rows.items():
                self._sharing.setdefault(link.appointment_id, []).append(remote_id)
            for occurrence, appointment in self.occurrences.items():
                if appointment is not None:
                    self._sharing.setdefault(appointment.pk, []).append(occurrence)
        for pk in {pk for pk in appointment_ids if pk is not None}:
            for key in self._sharing.pop(pk, ()):
                if isinstance(key, str):  # a link's remote id
                    self.rows.pop(key, None)
                else:  # an occurrence (ical_uid, instance_key)
                    self.occurrences.pop(key, None)

    def forget(self) -> None:
        self.rows.clear()
        self.absent.clear()
        self.occurrences.clear()


def _read_link(calendar: Calendar, remote_id: str) -> SyncedEvent | None:
    return (
        SyncedEvent.objects.select_for_update()
        .filter(calendar=calendar, remote_id=remote_id)
        .first()
    )


def worth_applying(
    calendar: Calendar, events: list[RemoteEvent], links: PageLinks | None = None
) -> list[RemoteEvent]:
    """The page's events less those that cannot change anything: unmarked, not deleted, and
    never marked here (no link). Most of a calendar is such events; one query for the page
    instead of a locking SELECT each (bench/sync_throughput.py: 37 of 97 s at 10 % marked)."""
    if links is not None:
        linked: set[str] | frozenset[str] = links.linked
    else:
        linked = set(
            SyncedEvent.objects.filter(
                calendar=calendar, remote_id__in=[event.remote_id for event in events]
            ).values_list("remote_id", flat=True)
        )
    return [
        event
        for event in events
        if event.problem
        or event.is_cancelled
        or event.is_series_deletion
        or is_marked(event)
        or event.remote_id in linked
    ]


def apply_event(
    calendar: Calendar,
    event: RemoteEvent,
    *,
    now: datetime,
    context: Context | None = None,
    links: PageLinks | None = None,
) -> None:
    """Make Portier's state match one remote event. Safe to call any number of times.
    `links`: the page's links, read at once (the sync); else the event's is read here."""
    context = context or context_for(calendar, now=now)
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
    link = links.get(event.remote_id) if links else _read_link(calendar, event.remote_id)
    if event.is_series_deletion or _is_series_tombstone(calendar, event, link):
        series_deleted(calendar, event.series_id or event.remote_id, context)
        if links:
            links.forget()
        return
    placed = _follow(calendar, event, context, link)
    if links:
        links.applied(event, link.appointment_id if link else None, placed)


def _follow(
    calendar: Calendar, event: RemoteEvent, context: Context, link: SyncedEvent | None
) -> int | None:
    """Reconcile the event and record the outcome; returns the appointment it touched."""
    known = Known(appointment=link.appointment if link else None, shown=bool(link and link.marked))
    outcome = reconcile(event, context, known)
    placed = outcome.appointment.pk if outcome.appointment else None
    if outcome.withdrawn:
        if link and link.marked:
            link.marked = False
            link.save(update_fields=["marked"])
        _log_cancelled(calendar, event.remote_id, outcome)
        if outcome.verdict == Verdict.IGNORED:
            _log_ignored(calendar, event, outcome)
        return placed
    link = link or SyncedEvent(calendar=calendar, remote_id=event.remote_id)
    link.ical_uid = event.ical_uid or event.remote_id
    link.instance_key = event.instance_key
    link.series_id = event.series_id
    link.starts_at = start_instant(event.start, calendar.time_zone)
    link.remote_updated = event.updated
    link.marked = True
    link.appointment = outcome.appointment or link.appointment
    link.save()
    if outcome.verdict == Verdict.IGNORED:
        _log_ignored(calendar, event, outcome)
    elif outcome.verdict in (Verdict.CREATED, Verdict.UPDATED):
        _log_placed(calendar, event, outcome)
    return placed


def _is_series_tombstone(calendar: Calendar, event: RemoteEvent, link: SyncedEvent | None) -> bool:
    """A deletion carrying only an id that is no event here but a series we follow (Google
    reports a deleted series so): the whole series is gone."""
    if not event.is_cancelled or event.series_id or link is not None:
        return False
    return SyncedEvent.objects.filter(calendar=calendar, series_id=event.remote_id).exists()


def series_deleted(calendar: Calendar, series_id: str, context: Context) -> None:
    """Every date of the series this calendar still shows is withdrawn, those beyond the
    horizon (no appointment yet) included."""
    links = list(
        # Lock the links only: PostgreSQL refuses FOR UPDATE on the nullable side of the join.
        SyncedEvent.objects.select_for_update(of=("self",))
        .filter(calendar=calendar, series_id=series_id, marked=True)
        .select_related("appointment")
        .order_by("starts_at", "pk")
    )
    SyncedEvent.objects.filter(pk__in=[link.pk for link in links]).update(marked=False)
    placed = [(link.remote_id, link.appointment) for link in links if link.appointment]
    known = Known(shown=True, occurrences=tuple(appointment for _id, appointment in placed))
    outcome = reconcile(RemoteEvent.series_deletion(series_id), context, known)
    for (remote_id, _appointment), part in zip(placed, outcome.parts, strict=True):
        _log_cancelled(calendar, remote_id, part)


def withdraw_link(calendar: Calendar, link: SyncedEvent, context: Context) -> None:
    """A marked event the calendar no longer has (a full listing lacks it): deleted."""
    tombstone = RemoteEvent(remote_id=link.remote_id, status="cancelled")
    outcome = reconcile(tombstone, context, Known(appointment=link.appointment, shown=True))
    link.marked = False
    link.save(update_fields=["marked"])
    _log_cancelled(calendar, link.remote_id, outcome)


def _code(outcome: Outcome) -> str:
    return CODES[outcome.reason] if outcome.reason else ""


def _log_ignored(calendar: Calendar, event: RemoteEvent, outcome: Outcome) -> None:
    sync_log.record(
        calendar=calendar,
        action=Action.IGNORED,
        remote_id=event.remote_id,
        title=event.title,
        code=_code(outcome),
    )


def _log_cancelled(calendar: Calendar, remote_id: str, outcome: Outcome) -> None:
    appointment = outcome.appointment
    if not outcome.cancelled or appointment is None:
        return
    sync_log.record(
        calendar=calendar,
        action=Action.CANCELLED,
        remote_id=remote_id,
        title=appointment.title,
        code=_code(outcome),
        appointment=appointment,
    )
    sync_log.record_emails(calendar, remote_id, appointment, outcome.change)


def _log_placed(calendar: Calendar, event: RemoteEvent, outcome: Outcome) -> None:
    appointment, change = outcome.appointment, outcome.change
    assert appointment is not None and change is not None
    if outcome.verdict == Verdict.CREATED:
        sync_log.record(
            calendar=calendar,
            action=Action.PICKED_UP,
            remote_id=event.remote_id,
            title=outcome.title,
            appointment=appointment,
        )
        held(calendar, event, appointment, outcome.held_code)
        sync_log.record_emails(calendar, event.remote_id, appointment, change)
        return
    held(calendar, event, appointment, outcome.held_code)
    if change.kind == "unchanged":
        return
    params: dict[str, Any] = {"fields": list(change.changed)}
    params.update(added=len(change.added), removed=len(change.removed))
    if change.released:
        action, code = Action.RELEASED, reasons.RELEASED
        params = {"location": outcome.location.name}
    elif change.kind == "created":
        action, code, params = Action.PICKED_UP, "", {}
    else:
        action, code = Action.UPDATED, reasons.CHANGED
    sync_log.record(
        calendar=calendar,
        action=action,
        remote_id=event.remote_id,
        title=outcome.title,
        code=code,
        params=params,
        appointment=appointment,
    )
    sync_log.record_emails(calendar, event.remote_id, appointment, change)


def held(calendar: Calendar, event: RemoteEvent, appointment: Appointment, code: str) -> None:
    """Log the hold and tell the host, once per event and wrong code (`code`: the one the
    appointment is held for now, as reconcile placed it; "": none)."""
    appointment.held_code = code
    if not appointment.held_code:
        return
    sync_log.record(
        calendar=calendar,
        action=Action.HELD,
        remote_id=event.remote_id,
        title=appointment.title,
        code=reasons.UNKNOWN_CODE,
        params={"code": appointment.held_code},
        appointment=appointment,
    )
    notices.invalid_code(calendar=calendar, appointment=appointment, event=event)
