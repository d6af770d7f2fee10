"""The outbox of guest e-mails: which e-mails a change to an appointment or a series causes.

The visits services call `appointment_changed` inside the transaction of every change; a
calendar engine that knows a whole series was deleted (or ends early) may call
`series_cancelled`. Both only write rows, idempotently (each row has a unique key, so a replayed
change writes nothing new), and wake the outbox's worker after commit. The outbox sends them;
`decisions.plan` (registered for these kinds) decides, with fresh data, whether each is still
worth sending and what it says.

Keys: inv:{appointment}:{email} (inv:series:{series}:{email} for a series),
upd:{appointment}:{email}:{version}, cxl:{appointment}:{email}, cxl:series:{series}:{email};
a guest invited again after a cancellation gets the key with the version appended.

Series: one invitation per guest for the series; later only dates that move (time or place)
or are cancelled cause e-mails. A guest's queued e-mails about dates of one series are folded
into one at delivery, so a sync that cancels every date (the series was deleted) sends each
guest one "series cancelled" e-mail even when the engine never calls `series_cancelled`.
"""

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from portier.invitations.kinds import INVITING, SERIES_KINDS, Kind
from portier.outbox import services as outbox
from portier.outbox.models import Notification, Status
from portier.sources import registry
from portier.visits.models import AppointmentStatus, GuestKind

# What "moves" an occurrence of a series: only these changes are worth an e-mail there.
MOVE_KEYS = frozenset(
    {
        "starts_at",
        "ends_at",
        "all_day",
        "start_date",
        "end_date",
        "location_id",
        "location_name",
        "location_address",
    }
)


def is_guest_address(email: str, *, company, host=None) -> bool:
    """Defence in depth: the sync engine already classifies attendees, but an address of the
    company, the invitation address, the host or a room never gets a guest e-mail."""
    email = email.strip().lower()
    local, _at, domain = email.rpartition("@")
    if not local or company.is_internal_email(email):
        return False
    if f"{local.partition('+')[0]}@{domain}" == settings.PORTIER_INVITE_ADDRESS:
        return False
    if host is not None and email == host.email.lower():
        return False
    rooms = registry.room_domains()  # each calendar source declares its own
    return not any(domain == d or domain.endswith("." + d) for d in rooms)


def lane_for(*, email: str, appointment=None, series=None) -> str:
    """A guest's e-mails about one appointment (or one series) go out one at a time, in order."""
    if series is not None:
        return f"s{series.pk}:{email}"
    return f"a{appointment.pk}:{email}"


class _Lanes:
    """What the outbox holds for the lanes and keys of one change, read in one query, and the
    rows the change writes, inserted in one statement in the order they were decided (a lane's
    rows go out in pk order). Decisions are those of reading each lane and key on its own: a
    change writes at most one row per lane, and its lanes and keys are its guests' own."""

    def __init__(self, lanes: set[str], keys: set[str], *, read: bool = True):
        self.by_lane: dict[str, list[tuple[int, str, str]]] = {}
        self.keys: set[str] = set()
        rows = Notification.objects.filter(Q(lane__in=lanes) | Q(key__in=keys))
        fields = ("pk", "lane", "kind", "status", "key")
        for pk, lane, kind, status, key in rows.values_list(*fields) if read else ():
            self.by_lane.setdefault(lane, []).append((pk, kind, status))
            self.keys.add(key)
        self.new: list[Notification] = []

    def last_level(self, lane: str, *, series_level: bool) -> tuple[int, str, str] | None:
        kinds = SERIES_KINDS if series_level else (Kind.INVITATION, Kind.CANCELLATION)
        shown = [
            row
            for row in self.by_lane.get(lane, ())
            if row[1] in kinds and row[2] != Status.SKIPPED
        ]
        return max(shown, default=None)

    def is_invited(self, lane: str, *, series_level: bool) -> bool:
        last = self.last_level(lane, series_level=series_level)
        return last is not None and last[1] in INVITING

    def write(self, key: str, **fields) -> Notification | None:
        """The row unless its key exists (a replayed change)."""
        if key in self.keys:
            return None
        self.keys.add(key)
        row = Notification(key=key, message_id=outbox.message_id(), **fields)
        self.new.append(row)
        return row

    def insert(self) -> None:
        # PostgreSQL: a row another calendar's sync wrote meanwhile under the same key is left
        # as it is (ON CONFLICT DO NOTHING). SQLite has one writer at a time, and its OR IGNORE
        # would swallow a NOT NULL violation too.
        Notification.objects.bulk_create(self.new, ignore_conflicts=connection.vendor != "sqlite")


def _write(key: str, **fields) -> Notification | None:
    """The row unless its key exists (a replayed change); the caller wakes the worker once."""
    return outbox.write(key, wake=False, **fields)


def _write_after(row: Notification, key: str, **fields) -> Notification | None:
    """A row in the lane of a series-level `row`: the same guest, series and company."""
    return _write(
        key,
        company=row.company,
        lane=row.lane,
        recipient=row.recipient,
        guest=row.guest,
        series=row.series,
        **fields,
    )


def _last_level_row(lane: str, *, series_level: bool):
    kinds = SERIES_KINDS if series_level else (Kind.INVITATION, Kind.CANCELLATION)
    return Notification.objects.filter(lane=lane, kind__in=kinds).shown().order_by("-pk").first()


def is_invited(lane: str, *, series_level: bool) -> bool:
    """Invited (or about to be) and not cancelled since, as far as the outbox knows."""
    last = _last_level_row(lane, series_level=series_level)
    return last is not None and last.kind in INVITING


def _date_may_be_new(outbox_state: _Lanes, lane: str, series) -> bool:
    """A date of a series the guest is invited to: a queued invitation will list it (planned
    at send time; locked, so no worker plans it before this commits); one sent or being sent
    may not have, so a row lets the planner check (it sends the series again if so)."""
    if series is None:
        return False
    last = outbox_state.last_level(lane, series_level=True)
    if last is None or last[2] != Status.QUEUED:
        return True
    locked = Notification.objects.select_for_update().filter(pk=last[0], status=Status.QUEUED)
    return not locked.exists()


def _keys(appointment, email: str, version: int) -> set[str]:
    """Every key a change of this version may write for this guest (see the module's doc)."""
    pk, series = appointment.pk, appointment.series
    keys = {f"inv:{pk}:{email}", f"inv:{pk}:{email}:{version}", f"upd:{pk}:{email}:{version}"}
    keys |= {f"cxl:{pk}:{email}", f"cxl:{pk}:{email}:{version}"}
    if series is not None:
        base = f"inv:series:{series.pk}:{email}"
        keys |= {base, f"{base}:{pk}:{version}"}
    return keys


def _invite(state: _Lanes, appointment, guest, version: int) -> Notification | None:
    series = appointment.series
    lane = lane_for(email=guest.email, appointment=appointment, series=series)
    if state.is_invited(lane, series_level=series is not None) and not _date_may_be_new(
        state, lane, series
    ):
        return None
    common = {
        "company": appointment.company,
        "lane": lane,
        "recipient": guest.email,
        "guest": guest,
        "version": version,
    }
    if series is not None:
        key = f"inv:series:{series.pk}:{guest.email}"
        if key in state.keys:
            key = f"{key}:{appointment.pk}:{version}"
        return state.write(key, kind=Kind.SERIES_INVITATION, series=series, **common)
    key = f"inv:{appointment.pk}:{guest.email}"
    if key in state.keys:
        key = f"{key}:{version}"  # invited again after a cancellation
    return state.write(key, kind=Kind.INVITATION, appointment=appointment, **common)


def _update(state: _Lanes, appointment, guest, version: int) -> Notification | None:
    series = appointment.series
    lane = lane_for(email=guest.email, appointment=appointment, series=series)
    return state.write(
        f"upd:{appointment.pk}:{guest.email}:{version}",
        kind=Kind.UPDATE,
        company=appointment.company,
        lane=lane,
        recipient=guest.email,
        appointment=appointment,
        guest=guest,
        series=series,
        version=version,
    )


def _cancel(state: _Lanes, appointment, guest, version: int, *, removed: bool):
    series = appointment.series
    lane = lane_for(email=guest.email, appointment=appointment, series=series)
    if not state.is_invited(lane, series_level=series is not None):
        return None
    key = f"cxl:{appointment.pk}:{guest.email}"
    if key in state.keys:
        key = f"{key}:{version}"
    return state.write(
        key,
        kind=Kind.CANCELLATION,
        company=appointment.company,
        lane=lane,
        recipient=guest.email,
        appointment=appointment,
        guest=guest,
        series=series,
        version=version,
        data={"removed": removed},
    )


def _after_commit(rows: list) -> None:
    if any(rows):
        outbox.wake_after_commit()


def _tally(change, rows: list) -> None:
    """Tell the caller (the sync log) how many e-mails of each kind the change queued."""
    written = [r for r in rows if r]
    change.extra["emails"] = {
        "invited": sum(r.kind in INVITING for r in written),
        "updated": sum(r.kind == Kind.UPDATE for r in written),
        "cancelled": sum(r.kind in (Kind.CANCELLATION, Kind.SERIES_CANCELLATION) for r in written),
    }


def is_past(appointment, now=None) -> bool:
    return appointment.ends_at <= (now or timezone.now())


def is_relevant(changed, *, series) -> bool:
    """Does a change of these fingerprint keys deserve an e-mail to the guests?"""
    return bool(set(changed) & MOVE_KEYS) if series is not None else bool(changed)


def appointment_changed(*, appointment, change, guests=None, new: bool = False) -> None:
    """Write the outbox rows a change causes. Called inside the change's transaction.
    `guests`: the appointment's guest rows when the caller has them. `new`: the change created
    the appointment in this transaction (the visits services say so, a replay never does)."""
    if change.kind == "unchanged" or is_past(appointment):
        return
    if appointment.is_walk_in:  # registered at the front desk: the guest is already here
        return
    if change.kind != "cancelled" and appointment.is_cancelled:
        return
    company, host, series = appointment.company, appointment.host, appointment.series
    rows_of = appointment.guests.all() if guests is None else guests
    by_email = {g.email: g for g in rows_of}
    current = [
        g
        for g in by_email.values()
        if g.removed_at is None
        and g.kind == GuestKind.GUEST
        and is_guest_address(g.email, company=company, host=host)
    ]
    removed = [
        by_email[email]
        for email in change.removed
        if email in by_email and is_guest_address(email, company=company, host=host)
    ]
    cancelled_series = series is not None and series.status == AppointmentStatus.CANCELLED
    if change.kind == "cancelled" and cancelled_series:
        current = []  # the series' cancellation covers its dates
    if not current and not removed:
        return _tally(change, [])
    lanes = {lane_for(email=g.email, appointment=appointment, series=series) for g in current}
    lanes |= {lane_for(email=g.email, appointment=appointment, series=series) for g in removed}
    keys = set().union(*(_keys(appointment, g.email, change.version) for g in current + removed))
    # A new appointment outside a series has nothing in the outbox: its lanes and keys carry
    # its id, never one of a deleted appointment (SQLite AUTOINCREMENT, PostgreSQL sequence).
    state = _Lanes(lanes, keys, read=not (new and series is None))
    rows = _rows(state, appointment, change, current, removed)
    state.insert()
    _tally(change, rows)
    return _after_commit(rows)


def _rows(state: _Lanes, appointment, change, current: list, removed: list) -> list:
    series, version = appointment.series, change.version
    if change.kind == "cancelled":
        return [_cancel(state, appointment, g, version, removed=False) for g in current]
    invite_all = change.kind == "created" or change.released
    rows = []
    # While held (unknown location code) guests hear of nothing but their removal; the release
    # tells those invited before the hold what changed with it (the planner compares with what
    # they were last sent), and invites the others.
    for guest in current if not appointment.is_held else ():
        lane = lane_for(email=guest.email, appointment=appointment, series=series)
        invited = state.is_invited(lane, series_level=series is not None)
        if change.released and invited:
            rows.append(_update(state, appointment, guest, version))
        elif invite_all or guest.email in change.added or not invited:
            rows.append(_invite(state, appointment, guest, version))
        elif is_relevant(change.changed, series=series):
            rows.append(_update(state, appointment, guest, version))
    for guest in removed:
        rows.append(_cancel(state, appointment, guest, version, removed=True))
    return rows


@transaction.atomic
def series_cancelled(series, *, ends_after=None) -> list[Notification]:
    """The sync engine's call when a recurring series is deleted (ends_after=None: it is marked
    cancelled here) or ends early (ends_after: the first instant with no more occurrences).

    Writes one cancellation per invited guest of the series. Occurrence cancellations that the
    same sync writes are covered by it: they are not written (series cancelled first) or skipped
    at delivery (occurrences cancelled first). Idempotent like appointment_changed.
    """
    if ends_after is None and series.status != AppointmentStatus.CANCELLED:
        series.status = AppointmentStatus.CANCELLED
        series.save(update_fields=["status", "updated"])
    invitations = (
        Notification.objects.filter(series=series, kind=Kind.SERIES_INVITATION)
        .shown()
        .select_related("company", "guest", "series")
        .order_by("pk")
    )
    rows, seen = [], set()
    for invitation in invitations:
        if invitation.lane in seen or not is_invited(invitation.lane, series_level=True):
            continue
        seen.add(invitation.lane)
        suffix = f":{ends_after.isoformat()}" if ends_after else ""
        rows.append(
            _write_after(
                invitation,
                f"cxl:series:{series.pk}:{invitation.recipient}{suffix}",
                kind=Kind.SERIES_CANCELLATION,
                data={"ends_after": ends_after.isoformat() if ends_after else None},
            )
        )
    _after_commit(rows)
    return [r for r in rows if r]


def listing_complete(calendar, *, since) -> list[Notification]:
    """The sync engine's call when a sync listed `calendar` completely (`since`: when the
    previous complete one started). A series invitation sent (or being sent) meanwhile could
    not tell a date cancelled before the listing from one not listed yet: a row after each
    lets the planner check, now that every date is known (series_state.listed)."""
    invitations = Notification.objects.filter(
        kind=Kind.SERIES_INVITATION,
        series__occurrences__calendar=calendar,
        status__in=(Status.SENT, Status.SENDING),
    ).exclude(data__listed=True)
    if since is not None:
        invitations = invitations.filter(Q(sent_at__gte=since) | Q(status=Status.SENDING))
    rows = [
        _write_after(row, f"chk:series:{row.pk}", kind=Kind.SERIES_INVITATION)
        for row in invitations.distinct().select_related("company", "guest", "series")
    ]
    _after_commit(rows)
    return [r for r in rows if r]


def guest_statuses(appointment) -> dict[str, Notification]:
    """Each guest's latest e-mail about this appointment (or its series), by address:
    `.status` (queued, sending, sent, failed), `.sent_at`, `.last_error`, `.kind`."""
    query = Q(appointment=appointment)
    if appointment.series_id:
        query |= Q(series_id=appointment.series_id, kind__in=SERIES_KINDS)
    latest = {}
    for row in Notification.objects.filter(query).shown().order_by("pk"):
        latest[row.recipient] = row
    return latest
