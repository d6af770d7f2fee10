"""/api/v1/appointments: list, read, and manual appointments' create, change, cancel.

Hosts see their own appointments, admins their company's; anything else is 404. A synced
appointment is read-only here: changing or cancelling it answers 409 (change it in its calendar).
"""

from datetime import date, datetime
from uuid import UUID

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from portier.accounts.models import User
from portier.api.paging import Paging
from portier.api.types import Id, Input, Instant, PathId
from portier.checkin import states
from portier.lib.errors import DomainError
from portier.locations.models import Location
from portier.visits import limits, manual
from portier.visits.models import Appointment, Guest, GuestKind
from portier.visits.statuses import guest_statuses, state_of

router = Router(tags=["appointments"])


class AppointmentOut(Schema):
    id: int
    title: str
    starts_at: datetime
    ends_at: datetime
    all_day: bool
    start_date: date | None
    end_date: date | None
    time_zone: str
    location_id: int
    location_name: str
    host_email: str
    host_name: str
    source: str
    read_only: bool
    status: str
    held_code: str
    guest_count: int


class GuestOut(Schema):
    email: str
    name: str
    kind: str
    removed: bool
    invitation: str | None  # queued, sent, failed; None: no e-mail (yet)
    invitation_kind: str | None
    sent_at: datetime | None
    error: str | None
    # At the front desk (guests only): expected, checked_in, checked_out, left_without_checkout,
    # cancelled, held, declined.
    visit_state: str | None
    checked_in_at: datetime | None
    checked_out_at: datetime | None
    # What the guest told us themselves (pre-registration on the guest page).
    company_name: str
    phone: str
    registered_at: datetime | None
    rules_accepted_at: datetime | None
    declined_at: datetime | None
    erased: bool


class SyncLogOut(Schema):
    created: datetime
    action: str
    reason: str  # a sentence in the caller's language
    code: str  # the reason as a stable code ("" for free text); params fill it in
    params: dict
    calendar: str | None


class AppointmentDetail(AppointmentOut):
    description: str
    html_link: str
    managed_in: str | None  # the calendar to change a synced appointment in
    cancelled_at: datetime | None
    guests: list[GuestOut]
    colleagues: list[GuestOut]
    sync_log: list[SyncLogOut]


class GuestIn(Input):
    email: str = Field(max_length=limits.EMAIL_MAX_LENGTH, json_schema_extra={"format": "email"})
    first_name: str = Field("", max_length=limits.GUEST_NAME_PART_MAX_LENGTH)
    last_name: str = Field("", max_length=limits.GUEST_NAME_PART_MAX_LENGTH)
    name: str = Field("", max_length=limits.GUEST_NAME_MAX_LENGTH)


GUESTS_DOC = f"At most {limits.GUESTS_MAX} entries."


class AppointmentIn(Input):
    title: str = Field(min_length=1, max_length=limits.TITLE_MAX_LENGTH)
    location_id: Id
    starts_at: Instant = Field(description="Without an offset: local time at the location.")
    ends_at: Instant
    description: str = Field("", max_length=limits.DESCRIPTION_MAX_LENGTH)
    guests: list[GuestIn] = Field(
        min_length=1, max_length=limits.GUESTS_MAX, description=GUESTS_DOC
    )
    host_id: Id | None = Field(None, description="Admins only: invite on a colleague's behalf.")
    idempotency_key: UUID | None = Field(
        None, description="Repeat a request with the same key: one appointment, never two."
    )


class AppointmentPatch(Input):
    """Only what is given changes; null (or leaving a field out) keeps it as it is."""

    title: str | None = Field(None, min_length=1, max_length=limits.TITLE_MAX_LENGTH)
    location_id: Id | None = None
    starts_at: Instant | None = None
    ends_at: Instant | None = None
    description: str | None = Field(None, max_length=limits.DESCRIPTION_MAX_LENGTH)
    guests: list[GuestIn] | None = Field(
        None,
        min_length=1,
        max_length=limits.GUESTS_MAX,
        description=f"The full new list of guests. {GUESTS_DOC}",
    )
    host_id: Id | None = None


class Filters(Schema):
    from_: Instant | None = Field(
        None, alias="from", description="Ends after this instant (no offset: the server's zone)."
    )
    to: Instant | None = Field(
        None, description="Starts before this instant (no offset: the server's zone)."
    )
    location_id: Id | None = None


def _guest_count():
    guests = (
        Guest.objects.filter(appointment=OuterRef("pk"), removed_at__isnull=True, kind="guest")
        .order_by()
        .values("appointment")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(guests), 0)


def _visible(request):
    return Appointment.objects.visible_to(request.user).select_related("location", "host")


def _get(request, appointment_id) -> Appointment:
    return get_object_or_404(_visible(request), pk=appointment_id)


def _summary(a: Appointment, guest_count: int) -> dict:
    return {
        "id": a.pk,
        "title": a.title,
        "starts_at": a.starts_at,
        "ends_at": a.ends_at,
        "all_day": a.all_day,
        "start_date": a.start_date,
        "end_date": a.end_date,
        "time_zone": a.location.time_zone,
        "location_id": a.location_id,
        "location_name": a.location.name,
        "host_email": a.host.email,
        "host_name": a.host.name,
        "source": a.source,
        "read_only": a.is_synced,
        "status": a.status,
        "held_code": a.held_code,
        "guest_count": guest_count,
    }


def _guest(guest, statuses) -> dict:
    row = statuses.get(guest.email) if guest.kind == GuestKind.GUEST else None
    visit = states.visit_of(guest)
    return {
        "visit_state": states.visit_state(guest) if guest.kind == GuestKind.GUEST else None,
        "checked_in_at": visit.checked_in_at if visit else None,
        "checked_out_at": visit.checked_out_at if visit else None,
        "company_name": guest.company_name,
        "phone": guest.phone,
        "registered_at": guest.registered_at,
        "rules_accepted_at": guest.rules_accepted_at,
        "declined_at": guest.declined_at,
        "erased": guest.erased_at is not None,
        "email": guest.email,
        "name": guest.name,
        "kind": guest.kind,
        "removed": guest.removed_at is not None,
        "invitation": state_of(row.status) if row else None,
        "invitation_kind": row.kind if row else None,
        "sent_at": row.sent_at if row else None,
        "error": (row.last_error or None) if row else None,
    }


def _detail(appointment: Appointment) -> dict:
    appointment = Appointment.objects.select_related("location", "host").get(pk=appointment.pk)
    statuses = guest_statuses(appointment)
    guests = list(appointment.guests.select_related("visit"))
    invitable = [g for g in guests if g.kind == GuestKind.GUEST]
    current = [g for g in invitable if g.removed_at is None]
    log = appointment.sync_log.select_related("calendar")[:100]
    return {
        **_summary(appointment, len(current)),
        "description": "" if appointment.is_synced else appointment.description,
        "html_link": appointment.html_link,
        "managed_in": manual.calendar_name(appointment) if appointment.is_synced else None,
        "cancelled_at": appointment.cancelled_at,
        "guests": [_guest(g, statuses) for g in invitable],
        "colleagues": [
            _guest(g, statuses)
            for g in guests
            if g.kind == GuestKind.COLLEAGUE and g.removed_at is None
        ],
        "sync_log": [
            {
                "created": e.created,
                "action": e.action,
                "reason": e.details,
                "code": e.code,
                "params": e.params,
                "calendar": e.calendar.name if e.calendar else None,
            }
            for e in log
        ],
    }


def _conflict(exc: manual.ManagedElsewhere):
    return Status(409, {"detail": str(exc.message)})


def _location(request, location_id) -> Location:
    return get_object_or_404(Location.objects.for_company(request.company), pk=location_id)


def _host(request, host_id) -> User:
    if host_id is None or host_id == request.user.pk:
        return request.user
    if not request.membership.is_admin:
        raise DomainError(_("Only admins may invite on a colleague's behalf."), field="host")
    return get_object_or_404(User, pk=host_id, membership__company=request.company, is_active=True)


def _guests(payload_guests) -> list[manual.NewGuest]:
    return [manual.NewGuest(g.email, g.first_name, g.last_name, g.name) for g in payload_guests]


def _aware(value: datetime) -> datetime:
    return timezone.make_aware(value) if timezone.is_naive(value) else value


@router.get("", response=list[AppointmentOut])
@paginate(Paging)
def list_appointments(request, filters: Query[Filters]):
    """Soonest first. `from`/`to` bound the time (an appointment overlapping them counts)."""
    queryset = _visible(request).annotate(guest_count=_guest_count()).order_by("starts_at", "pk")
    if filters.from_ is not None:
        queryset = queryset.filter(ends_at__gt=_aware(filters.from_))
    if filters.to is not None:
        queryset = queryset.filter(starts_at__lt=_aware(filters.to))
    if filters.location_id is not None:
        queryset = queryset.filter(location_id=filters.location_id)
    return _Rows(queryset)


class _Rows:
    """The paginator slices and counts; each slice is turned into plain rows."""

    def __init__(self, queryset):
        self.queryset = queryset

    def count(self):
        return self.queryset.count()

    def __len__(self):
        return self.count()

    def __getitem__(self, item):
        return [_summary(a, a.guest_count) for a in self.queryset[item]]


@router.get("/{appointment_id}", response=AppointmentDetail)
def get_appointment(request, appointment_id: PathId):
    return _detail(_get(request, appointment_id))


@router.post("", response={201: AppointmentDetail, 200: AppointmentDetail})
def create_appointment(request, payload: AppointmentIn):
    """A manual appointment: each guest gets an invitation. Repeating the request with the same
    idempotency_key (or Idempotency-Key header) answers 200 with the first appointment."""
    token = payload.idempotency_key or _header_key(request)
    appointment, created = manual.invite(
        company=request.company,
        host=_host(request, payload.host_id),
        location=_location(request, payload.location_id),
        title=payload.title,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        description=payload.description,
        guests=_guests(payload.guests),
        token=token,
        created_by=request.user,
    )
    return Status(201 if created else 200, _detail(appointment))


def _header_key(request) -> UUID | None:
    raw = request.headers.get("Idempotency-Key", "").strip()
    if not raw:
        return None
    try:
        return UUID(raw)
    except ValueError:
        raise DomainError(_("Idempotency-Key must be a UUID."), field="idempotency_key") from None


@router.patch("/{appointment_id}", response={200: AppointmentDetail, 409: dict})
def patch_appointment(request, appointment_id: PathId, payload: AppointmentPatch):
    appointment = _get(request, appointment_id)
    fields = payload.dict(exclude_unset=True)
    try:
        manual.ensure_manual(appointment)
        manual.change(
            appointment=appointment,
            title=fields.get("title"),
            location=_location(request, fields["location_id"])
            if fields.get("location_id") is not None
            else None,
            starts_at=fields.get("starts_at"),
            ends_at=fields.get("ends_at"),
            description=fields.get("description"),
            guests=_guests(payload.guests) if payload.guests is not None else None,
            host=_host(request, fields["host_id"]) if fields.get("host_id") else None,
        )
    except manual.ManagedElsewhere as exc:
        return _conflict(exc)
    return _detail(appointment)


@router.delete("/{appointment_id}", response={204: None, 409: dict})
def cancel_appointment(request, appointment_id: PathId):
    """Cancel: each invited guest gets one cancellation."""
    appointment = _get(request, appointment_id)
    try:
        manual.cancel(appointment=appointment)
    except manual.ManagedElsewhere as exc:
        return _conflict(exc)
    return Status(204, None)
