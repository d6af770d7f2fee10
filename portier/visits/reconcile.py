"""The one way into the domain: a remote event, or a deleted series, becomes appointments,
guests and outbox rows (through `visits.services`, which hands each change to the outbox).

`reconcile(event, context, known)` decides and writes; it never calls a provider and needs no
`Calendar` row. The context says whose events these are (company, host, default location,
time zone, source) and carries what was fetched before the transaction (series rules). What is
one calendar's business stays with the caller, which records the returned `Outcome`: the link
between its event and the appointment (`known` is what it remembered), its log, the host's
notice about a held code. A caller whose appointments several sources can show (the calendar
sync: one event in several hosts' calendars) says who speaks for a shared appointment through
`speaks_for` and `successor`; other callers keep the defaults.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import StrEnum
from typing import Any

from django.db import IntegrityError
from django.utils.translation import gettext as _

from portier.locations.codes import without_code
from portier.locations.placement import resolve_location
from portier.sources.base import RemoteEvent
from portier.visits import services
from portier.visits.models import Appointment, Series
from portier.visits.remote_events import (
    classify_attendees,
    is_marked,
    is_organized_inside,
    start_instant,
    timing_of,
)
from portier.visits.services import AppointmentChange


class Verdict(StrEnum):
    CREATED = "created"  # a new appointment
    UPDATED = "updated"  # an existing one follows the event (change.kind may be "unchanged")
    NOT_OURS = "not_ours"  # another source speaks for the appointment: nothing written
    DEFERRED = "deferred"  # an occurrence beyond the horizon: placed when it comes near
    IGNORED = "ignored"  # reason says why
    WITHDRAWN = "withdrawn"  # the source no longer shows the marked event: reason says how


class Reason(StrEnum):
    """Why an event was withdrawn or ignored (the sync log's reason codes are the same)."""

    EVENT_DELETED = "event_deleted"
    OCCURRENCE_CANCELLED = "occurrence_cancelled"
    MARKER_REMOVED = "marker_removed"
    OUTSIDE_ORGANIZER = "outside_organizer"
    IN_THE_PAST = "in_the_past"
    NO_OUTSIDE_GUESTS = "no_outside_guests"


ASK = object()  # Context.find's answer when it does not know


def _always(appointment: Appointment, event: RemoteEvent) -> bool:
    return True


def _nobody(appointment: Appointment) -> Mapping[str, Any] | None:
    return None


@dataclass(frozen=True)
class Context:
    """Whose events these are. The calendar sync makes one per sync; an e-mail intake or the
    front desk can make their own."""

    company: Any
    host: Any
    default_location: Any  # where a visit takes place when the event names no location code
    time_zone: str  # reads all-day events and times without a zone
    source: str  # the source's slug, stored on the appointment
    now: datetime
    horizon_end: datetime | None = None  # occurrences starting later wait for it
    host_emails: frozenset[str] = frozenset()  # the host's addresses: never guests
    # Organizers that count as the company's own besides its users and internal domains.
    own_addresses: frozenset[str] = frozenset()
    origin: Mapping[str, Any] = field(default_factory=dict)  # stored on the appointment
    series_rules: Mapping[str, str] = field(default_factory=dict)  # series id -> RRULE lines
    # Whether this source may change an appointment another source placed.
    speaks_for: Callable[[Appointment, RemoteEvent], bool] = _always
    # Whether another source still shows an appointment this one withdraws: None (cancel it),
    # else the origin fields to move to it ({}: none to move).
    successor: Callable[[Appointment], Mapping[str, Any] | None] = _nobody
    # The company's location codes (locations.placement.coded_locations) when the caller read
    # them once for many events (a sync's page); None: read for each event.
    location_codes: Mapping[str, Any] | None = None
    # The appointment of an occurrence (ical_uid, instance_key) when the caller read a page's
    # at once (locked): an Appointment, None (there is none), or ASK (read it here).
    find: Callable[[str, str], Any] | None = None


@dataclass(frozen=True)
class Known:
    """What the caller remembers of the event."""

    appointment: Appointment | None = None  # where it was placed
    shown: bool = False  # it carried the marker until now: withdrawing it cancels
    occurrences: tuple[Appointment, ...] = ()  # a deleted series: the dates still shown


@dataclass(frozen=True)
class Outcome:
    verdict: Verdict
    reason: Reason | None = None
    appointment: Appointment | None = None
    change: AppointmentChange | None = None
    title: str = ""  # as guests read it
    location: Any = None  # where the event was placed
    held_code: str = ""  # placed or updated: the wrong location code it is held for
    withdrawn: bool = False  # the source no longer shows it marked
    cancelled: bool = False  # withdrawing it cancelled the appointment
    parts: tuple["Outcome", ...] = ()  # a deleted series: one per date, as `occurrences`


def reconcile(event: RemoteEvent, context: Context, known: Known = Known()) -> Outcome:
    """Make the domain follow one remote event. Safe to call any number of times: an
    appointment only changes when what guests see does."""
    if event.is_series_deletion:
        parts = tuple(_withdraw(a, True, context, Reason.EVENT_DELETED) for a in known.occurrences)
        return Outcome(Verdict.WITHDRAWN, Reason.EVENT_DELETED, withdrawn=True, parts=parts)
    if event.is_cancelled:
        reason = Reason.OCCURRENCE_CANCELLED if event.series_id else Reason.EVENT_DELETED
        return _withdraw(known.appointment, known.shown, context, reason)
    if not is_marked(event) or event.start is None:
        return _withdraw(known.appointment, known.shown, context, Reason.MARKER_REMOVED)
    inside = is_organized_inside(
        event, company=context.company, own_addresses=context.own_addresses
    )
    if not inside:
        # Someone outside put the marker on the host's calendar (an invitation of theirs):
        # Portier must not write to people in the company's name for them.
        outcome = _withdraw(known.appointment, known.shown, context, Reason.OUTSIDE_ORGANIZER)
        return replace(outcome, verdict=Verdict.IGNORED)
    starts_at = start_instant(event.start, context.time_zone)
    assert starts_at is not None  # event.start was checked above
    ends_at = start_instant(event.end, context.time_zone) or starts_at
    if known.appointment is None:
        if ends_at < context.now:
            return Outcome(Verdict.IGNORED, Reason.IN_THE_PAST)
        if event.series_id and context.horizon_end and starts_at > context.horizon_end:
            return Outcome(Verdict.DEFERRED)
    return _place(event, context, known.appointment)


def _withdraw(
    appointment: Appointment | None, shown: bool, context: Context, reason: Reason
) -> Outcome:
    """The source no longer shows the marked event. The appointment is cancelled unless
    another source still shows it; then that one takes it over."""
    if not shown or appointment is None or appointment.is_cancelled:
        return Outcome(Verdict.WITHDRAWN, reason, appointment, withdrawn=True)
    successor = context.successor(appointment)
    if successor is None:
        change = services.cancel_appointment(appointment=appointment, reason=reason)
        return Outcome(
            Verdict.WITHDRAWN,
            reason,
            appointment,
            change,
            title=appointment.title,
            withdrawn=True,
            cancelled=True,
        )
    if successor:
        Appointment.objects.filter(pk=appointment.pk).update(**successor)
    return Outcome(Verdict.WITHDRAWN, reason, appointment, withdrawn=True)


def _place(event: RemoteEvent, context: Context, placed: Appointment | None) -> Outcome:
    company = context.company
    people = classify_attendees(event, company=company, host_emails=set(context.host_emails))
    ical_uid, instance_key = event.ical_uid or event.remote_id, event.instance_key
    appointment = placed or _find(context, ical_uid, instance_key)
    if appointment is None and not people.external:
        return Outcome(Verdict.IGNORED, Reason.NO_OUTSIDE_GUESTS)
    placement = placement_of(event, context, appointment)
    location = placement["location"]
    # Guests read neither the location code tag nor a code alone in the location field.
    code = placement["location_code"] or placement["held_code"]
    title = without_code(event.title, code) or _("(no title)")
    timing = timing_of(event, location_zone=location.time_zone)
    series = series_of(event, context, title) if event.series_id else None
    source: dict[str, Any] = {
        **context.origin,
        "remote_id": event.remote_id,
        "html_link": event.html_link[:1000],
        "location_text": without_code(event.location, code)[:500],
    }
    if appointment is None:
        try:
            appointment, change = services.create_appointment(  # its own savepoint
                company=company,
                host=context.host,
                title=title,
                timing=timing,
                guests=people.guests,
                source=context.source,
                ical_uid=ical_uid,
                instance_key=instance_key,
                series=series,
                **placement,
                **source,
            )
        except IntegrityError:
            # Another host's calendar created the same occurrence at this very moment (their
            # sync runs in parallel): it exists now, so place this event on it instead.
            if not Appointment.objects.filter(
                company=company, ical_uid=ical_uid, instance_key=instance_key
            ).exists():
                raise
            return _place(event, replace(context, find=None), None)  # read it now
        held = placement["held_code"]
        return Outcome(Verdict.CREATED, None, appointment, change, title, location, held_code=held)
    if not context.speaks_for(appointment, event):
        return Outcome(Verdict.NOT_OURS, appointment=appointment)
    change = services.update_appointment(
        appointment=appointment,
        guests=people.guests,
        timing=timing,
        title=title,
        host=context.host,
        reactivate=appointment.is_cancelled,
        series=series,
        **placement,
        **source,
    )
    held = placement["held_code"]  # what update_appointment stored
    return Outcome(Verdict.UPDATED, None, appointment, change, title, location, held_code=held)


def _find(context: Context, ical_uid: str, instance_key: str) -> Appointment | None:
    found = context.find(ical_uid, instance_key) if context.find else ASK
    if found is not ASK:
        return found
    return (
        Appointment.objects.select_for_update()
        .filter(company=context.company, ical_uid=ical_uid, instance_key=instance_key)
        .first()
    )


def placement_of(event: RemoteEvent, context: Context, appointment: Appointment | None) -> dict:
    """Where the visit takes place: the event's location code, else the context's default
    location. A wrong code holds the appointment where it is (or would be)."""
    resolution = resolve_location(
        context.company, event.location, event.title, context.location_codes
    )
    if resolution.invalid:
        location = appointment.location if appointment else context.default_location
        return {"location": location, "location_code": "", "held_code": resolution.code}
    if resolution.location is not None:
        return {"location": resolution.location, "location_code": resolution.code, "held_code": ""}
    if appointment is not None and not appointment.location_code and not appointment.held_code:
        # Placed without a code before: it stays where it is (an admin changing the
        # integration location later does not move booked visits).
        return {"location": appointment.location, "location_code": "", "held_code": ""}
    return {"location": context.default_location, "location_code": "", "held_code": ""}


def series_of(event: RemoteEvent, context: Context, title: str) -> Series:
    """The event's series, its title (as guests read it) and rule kept current. Occurrences do
    not carry the rule; the caller fetched it (context.series_rules) before the transaction,
    so the guest's invitation can say "every Tuesday" and its .ics can repeat."""
    series, _created = Series.objects.get_or_create(
        company=context.company,
        ical_uid=event.ical_uid or event.series_id,
        defaults={
            "host": context.host,
            "remote_id": event.series_id,
            "title": title[:300],
            "time_zone": (event.start.time_zone if event.start else "") or context.time_zone,
        },
    )
    changed = []
    if series.title != title[:300]:
        series.title = title[:300]
        changed.append("title")
    rule = context.series_rules.get(event.series_id, "")
    if not series.rule and rule:
        series.rule = rule
        changed.append("rule")
    if changed:
        series.save(update_fields=[*changed, "updated"])
    return series
