"""At send time, with fresh data: is this row still worth sending, and what does it say?

`plan` is the outbox's planner for the guest kinds (registered in apps.py). A row may have been
overtaken since it was written: the appointment was cancelled or moved
again, the guest removed, a newer e-mail already sent. `plan` returns either the Message or a Skip
with the reason (stored on the row). The rule that keeps a guest's inbox coherent:
a mail always describes the appointment as it is *now*, and an update is only sent when what
the guest was last told differs from that (so an older update never follows a newer one).
A guest who declined a date (pre-registration) gets no invitation or update for it any more;
a cancellation (of the appointment, or taking them off it) still goes out: it drops the
event from their calendar, and a guest added again later is then invited anew.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone

from portier.invitations import content, series_state
from portier.invitations.content import Mail, guest_language
from portier.invitations.kinds import SERIES_KINDS, Kind
from portier.invitations.services import is_guest_address, is_past, is_relevant
from portier.outbox.models import Notification, Status
from portier.outbox.registry import Message, Skip
from portier.visits.models import (
    Appointment,
    AppointmentStatus,
    AppointmentVersion,
    Guest,
    GuestKind,
)


@dataclass
class Plan:
    mail: Mail
    language: str
    sent_version: int | None = None
    data: dict = field(default_factory=dict)  # merged into the row's data once sent
    kind: str | None = None  # the row becomes this kind once sent (a folded series end)
    folds: list = field(default_factory=list)  # queued rows this e-mail covers: skipped


def _sent_invited(lane: str, *, series_level: bool) -> bool:
    kinds = SERIES_KINDS if series_level else (Kind.INVITATION, Kind.CANCELLATION)
    last = (
        Notification.objects.filter(lane=lane, kind__in=kinds, status=Status.SENT)
        .order_by("-sent_at", "-pk")
        .first()
    )
    return last is not None and last.kind in (Kind.INVITATION, Kind.SERIES_INVITATION)


def _version_fp(appointment, number: int) -> dict | None:
    row = AppointmentVersion.objects.filter(appointment=appointment, number=number).first()
    return row.fingerprint if row else None


def _known_version(lane: str, appointment) -> int:
    """The newest version of this appointment the guest was sent."""
    known = 0
    for sent in Notification.objects.filter(lane=lane, status=Status.SENT):
        if sent.appointment_id == appointment.pk and sent.kind in (Kind.INVITATION, Kind.UPDATE):
            known = max(known, sent.sent_version or 0)
        seen = sent.data.get("seen", {})
        if str(appointment.pk) in seen:
            known = max(known, seen[str(appointment.pk)])
        elif sent.kind == Kind.SERIES_INVITATION:
            known = max(known, 1)  # a date it did not list: the rule's, i.e. the original
    return known


def _fresh(row):
    appointment = Appointment.objects.select_related(
        "company", "host", "location__company", "series"
    ).get(pk=row.appointment_id)
    return appointment, Guest.objects.get(pk=row.guest_id)


def _occurrence_skip(appointment, guest, now) -> str:
    if appointment.is_cancelled:
        return "the appointment is cancelled"
    if appointment.is_held:
        return "the appointment is on hold (unknown location code)"
    if is_past(appointment, now):
        return "the appointment is over"
    if guest.removed_at is not None or guest.kind != GuestKind.GUEST:
        return "no longer a guest of the appointment"
    if guest.declined_at is not None:
        return "the guest declined this date"
    return ""


def _update_reason(row, appointment, guest, now) -> tuple[str, dict | None]:
    """('', what the guest was last told) when this update is worth sending, else (reason, _)."""
    series = appointment.series
    if reason := _occurrence_skip(appointment, guest, now):
        return reason, None
    if series is not None and series.status == AppointmentStatus.CANCELLED:
        return "the series is cancelled", None
    if not _sent_invited(row.lane, series_level=series is not None):
        return "not invited yet: the invitation will show the current state", None
    known = _known_version(row.lane, appointment)
    if known >= appointment.version:
        return "superseded: the guest was already sent this or a newer version", None
    fp = appointment.fingerprint
    before = _version_fp(appointment, known) or _version_fp(appointment, 1) or fp
    changed = [k for k in fp if k != "guests" and before.get(k) != fp.get(k)]
    if not is_relevant(changed, series=series):
        return "nothing the guest sees changed since their last e-mail", None
    return "", before


def _cancel_reason(row, appointment, guest, now) -> str:
    series = appointment.series
    if is_past(appointment, now):
        return "the appointment is over"
    if not _sent_invited(row.lane, series_level=series is not None):
        return "never invited"
    # Not off the appointment any more (marked again, added again): nothing to cancel. A guest
    # removed meanwhile still is, whichever way the row was written.
    back = guest.removed_at is None and guest.kind == GuestKind.GUEST
    if not appointment.is_cancelled and back:
        return "the guest is expected again"
    if series is not None and _series_cancellation_covers(row.lane, appointment):
        return "covered by the series cancellation"
    if series is None and _already_cancelled(row, appointment):
        return "already cancelled"
    return ""


def _queued_in_lane(row, kind):
    others = Notification.objects.filter(lane=row.lane, kind=kind, status=Status.QUEUED)
    return list(others.exclude(pk=row.pk).order_by("pk"))


def _plan_appointment(row, now) -> Plan | str:
    appointment, guest = _fresh(row)
    if not is_guest_address(row.recipient, company=appointment.company, host=appointment.host):
        return "not a guest address"
    series = appointment.series
    language = guest_language(guest, appointment.location)
    fp = appointment.fingerprint
    if row.kind == Kind.INVITATION:
        if reason := _occurrence_skip(appointment, guest, now):
            return reason
        if _sent_invited(row.lane, series_level=False):
            # Invited again while the guest still has the visit (marked again before the
            # cancellation went out): they need what changed since, if anything.
            reason, before = _update_reason(row, appointment, guest, now)
            if reason:
                return "already invited"
            mail = Mail("update", appointment, guest, fp=fp, before=before)
            return Plan(mail, language, sent_version=appointment.version)
        mail = Mail("invitation", appointment, guest, fp=fp)
        return Plan(mail, language, sent_version=appointment.version)
    if row.kind == Kind.UPDATE:
        sent = series_state.sent_in_lane(row.lane) if series is not None else []
        if series is not None and series_state.lacks(sent, [appointment]):
            return _series_invitation(row, series, sent, now)  # the date is new to the guest
        reason, before = _update_reason(row, appointment, guest, now)
        if reason:
            return reason
        if series is not None:
            return _plan_moves(row, appointment, guest, before, language, now)
        mail = Mail("update", appointment, guest, fp=fp, before=before)
        return Plan(mail, language, sent_version=appointment.version)
    if reason := _cancel_reason(row, appointment, guest, now):
        return reason
    if series is not None:
        return _plan_cancelled_dates(row, appointment, guest, language, now)
    removed = bool(row.data.get("removed")) or not appointment.is_cancelled
    mail = Mail("cancellation", appointment, guest, fp=fp, removed=removed)
    return Plan(mail, language, sent_version=appointment.version)


def _plan_moves(row, appointment, guest, before, language, now) -> Plan:
    """Dates of a series that moved: one e-mail for all of this guest's queued ones."""
    moves = [(appointment, before, content.original_fp(appointment))]
    folds = []
    for other in _queued_in_lane(row, Kind.UPDATE):
        other_appointment, other_guest = _fresh(other)
        if other_appointment.pk in {a.pk for a, _b, _o in moves}:
            folds.append(other.pk)  # the same date again: this e-mail shows its newest state
            continue
        reason, other_before = _update_reason(other, other_appointment, other_guest, now)
        if not reason:
            moves.append((other_appointment, other_before, content.original_fp(other_appointment)))
            folds.append(other.pk)
    moves.sort(key=lambda move: move[0].starts_at)
    mail = Mail(
        "update",
        appointment,
        guest,
        fp=appointment.fingerprint,
        before=before,
        original=moves[0][2] if len(moves) == 1 else None,
        series=appointment.series,
        moves=moves,
    )
    seen = {str(a.pk): a.version for a, _b, _o in moves}
    return Plan(mail, language, appointment.version, data={"seen": seen}, folds=folds)


def _plan_cancelled_dates(row, appointment, guest, language, now) -> Plan:
    """Dates of a series cancelled for this guest: one e-mail for all queued ones; when no
    date is left it is the end of the series for them."""
    series = appointment.series
    dates = [(appointment, guest, content.original_fp(appointment))]
    folds = []
    for other in _queued_in_lane(row, Kind.CANCELLATION):
        other_appointment, other_guest = _fresh(other)
        if not _cancel_reason(other, other_appointment, other_guest, now):
            if other_appointment.pk not in {a.pk for a, _g, _o in dates}:
                dates.append(
                    (other_appointment, other_guest, content.original_fp(other_appointment))
                )
            folds.append(other.pk)
    dates.sort(key=lambda date: date[0].starts_at)
    left = _occurrences(series, row.recipient, now)
    first, first_guest, original = dates[0]
    if len(dates) == 1 and left:
        mail = Mail(
            "cancellation",
            first,
            first_guest,
            fp=first.fingerprint,
            original=original,
            series=series,
            removed=bool(row.data.get("removed")),
        )
        return Plan(mail, language, sent_version=first.version)
    mail = Mail("series-cancellation", first, first_guest, fp=first.fingerprint, series=series)
    mail.dates = dates
    mail.sequence = series_state.invitations_sent(series_state.sent_in_lane(row.lane))
    kind = None
    if not left:
        kind = Kind.SERIES_CANCELLATION  # nothing left: the series is over for this guest
    elif max(a.starts_at for a, _g in left) < first.starts_at:
        mail.ends_after = first.starts_at
    else:
        mail.partial = True
    cancelled = [a.pk for a, _g, _o in dates]
    return Plan(
        mail, language, first.version, kind=kind, folds=folds, data={"cancelled": cancelled}
    )


def _already_cancelled(row, appointment) -> bool:
    last = (
        Notification.objects.filter(
            lane=row.lane,
            appointment=appointment,
            kind__in=(Kind.INVITATION, Kind.CANCELLATION),
            status=Status.SENT,
        )
        .order_by("-sent_at", "-pk")
        .first()
    )
    return last is not None and last.kind == Kind.CANCELLATION


def _series_cancellation_covers(lane: str, appointment) -> bool:
    for row in Notification.objects.filter(lane=lane, kind=Kind.SERIES_CANCELLATION).shown():
        ends_after = row.data.get("ends_after")
        if not ends_after or appointment.starts_at >= datetime.fromisoformat(ends_after):
            return True
    return False


def _occurrences(series, email: str, now, *, active_only=True, since=None) -> list:
    """(appointment, guest) for this guest's upcoming dates of the series, by start."""
    guests = Guest.objects.filter(
        appointment__series=series,
        email=email,
        kind=GuestKind.GUEST,
        appointment__ends_at__gt=now,
    ).select_related("appointment__location__company", "appointment__host", "appointment__company")
    if active_only:
        guests = guests.filter(
            removed_at__isnull=True,
            appointment__status=AppointmentStatus.ACTIVE,
            appointment__held_code="",
        )
    if since is not None:
        guests = guests.filter(appointment__starts_at__gte=since)
    pairs = [(g.appointment, g) for g in guests]
    return sorted(pairs, key=lambda pair: pair[0].starts_at)


def _series_invitation(row, series, sent: list, now) -> Plan | str:
    if series.status == AppointmentStatus.CANCELLED:
        return "the series is cancelled"
    dates = _occurrences(series, row.recipient, now)
    invited = _sent_invited(row.lane, series_level=True)
    if not dates:
        return "already invited" if invited else "no upcoming dates"
    first, guest = dates[0]
    if not is_guest_address(row.recipient, company=series.company, host=first.host):
        return "not a guest address"
    mail = Mail(
        "series-invitation",
        first,
        guest,
        fp=first.fingerprint,
        series=series,
        occurrences=dates,
        sequence=series_state.invitations_sent(sent),
        listed_until=series_state.listed_until(first),
    )
    # Dates the guest's calendar lacks (synced or released after the invitation went out,
    # given back after a cancellation, first seen moved) send the whole series again: it
    # replaces the old one. Sent while a listing was under way, it could not tell a rule date
    # cancelled before from one not listed yet: once the listing is complete, it goes out
    # again if the rule shows such a date.
    checked = series_state.listed(sent) or not content.unknown_dates(mail)
    if invited and not series_state.lacks(sent, [a for a, _g in dates]) and checked:
        return "already invited"
    seen = {str(a.pk): a.version for a, _g in dates}
    hidden = set(series.occurrences.values_list("pk", flat=True)) - {a.pk for a, _g in dates}
    data = {
        "seen": seen,
        "hidden": sorted(hidden),
        "anchor": series_state.rule_starts([first])[0],
        "listed": mail.listed_until is not None,
    }
    return Plan(mail, guest_language(guest, first.location), kind=Kind.SERIES_INVITATION, data=data)


def _plan_series(row, now) -> Plan | str:
    series = row.series
    sent = series_state.sent_in_lane(row.lane)
    if row.kind == Kind.SERIES_INVITATION:
        return _series_invitation(row, series, sent, now)
    if not _sent_invited(row.lane, series_level=True):
        return "never invited"
    ends_after = row.data.get("ends_after")
    since = datetime.fromisoformat(ends_after) if ends_after else None
    dates = _occurrences(series, row.recipient, now, active_only=False, since=since)
    if not dates:
        return "no upcoming dates"
    first, guest = dates[0]
    mail = Mail("series-cancellation", first, guest, fp=first.fingerprint, series=series)
    mail.dates = [(a, g, content.original_fp(a)) for a, g in dates]
    mail.ends_after = since
    mail.sequence = series_state.invitations_sent(sent)
    return Plan(mail, guest_language(guest, first.location))


def decide(row, now) -> Plan | str:
    if row.kind in SERIES_KINDS:
        return _plan_series(row, now)
    return _plan_appointment(row, now)


def plan(row) -> Message | Skip:
    decision = decide(row, timezone.now())
    if isinstance(decision, str):
        return Skip(decision)
    decision.mail.stamp = row.created  # a repeated attempt is the same e-mail, byte for byte
    message = content.build(decision.mail, decision.language)
    message.kind, message.sent_version = decision.kind, decision.sent_version
    message.data, message.folds = decision.data, decision.folds
    if decision.mail.unknown:  # what the guest's calendar lacks, for when those dates come
        unknown = [start.isoformat() for start in decision.mail.unknown]
        message.data = {**decision.data, "unknown": unknown}
    return message
