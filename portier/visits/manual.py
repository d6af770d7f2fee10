"""Manual invitations: appointments a host creates in Portier (dashboard form or API).

They go through the same services as synced ones (create/update/cancel_appointment), so the
invitations outbox sends exactly what the change calls for. Synced appointments belong to
their calendar: every change here refuses them with ManagedElsewhere.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portier.lib.errors import DomainError
from portier.visits.limits import (
    DESCRIPTION_MAX_LENGTH,
    GUEST_NAME_MAX_LENGTH,
    GUESTS_MAX,
    TITLE_MAX_LENGTH,
)
from portier.visits.models import Appointment, Guest, GuestKind, Source
from portier.visits.services import (
    GuestInfo,
    Timing,
    cancel_appointment,
    create_appointment,
    update_appointment,
)

WALK_IN_DURATION = timedelta(hours=1)
# A form filled in at 09:59 for 10:00 and sent at 10:01 is still "not in the past".
PAST_GRACE = timedelta(minutes=5)


class ManagedElsewhere(DomainError):
    """The appointment mirrors a calendar event: change it in the calendar."""


@dataclass(frozen=True)
class NewGuest:
    email: str
    first_name: str = ""
    last_name: str = ""
    name: str = ""  # used when first and last name are not given separately

    @property
    def full_name(self) -> str:
        joined = " ".join(p.strip() for p in (self.first_name, self.last_name) if p.strip())
        return joined or self.name.strip()


def calendar_name(appointment: Appointment) -> str:
    return appointment.source_name


def managed_message(appointment: Appointment) -> str:
    return _("Managed in %(calendar)s: change it there.") % {"calendar": calendar_name(appointment)}


def ensure_manual(appointment: Appointment) -> None:
    if appointment.is_synced:
        raise ManagedElsewhere(managed_message(appointment))
    if appointment.is_walk_in:
        raise DomainError(
            _("A walk-in visit was registered at the front desk; it cannot be changed.")
        )


def is_changeable(appointment: Appointment, now: datetime | None = None) -> bool:
    """Manual, not cancelled, not over: the host may still edit or cancel it."""
    return (
        not appointment.is_synced
        and not appointment.is_walk_in
        and not appointment.is_cancelled
        and appointment.ends_at > (now or timezone.now())
    )


def ensure_changeable(appointment: Appointment, now: datetime | None = None) -> None:
    ensure_manual(appointment)
    if appointment.is_cancelled:
        raise DomainError(_("This appointment is cancelled; it cannot be changed any more."))
    if appointment.ends_at <= (now or timezone.now()):
        raise DomainError(_("This appointment is over; it cannot be changed any more."))


def in_zone(value: datetime, location) -> datetime:
    """A naive time (a datetime-local input, an API value without offset) is local time at
    the location; an aware one stays the instant it names."""
    if timezone.is_naive(value):
        return value.replace(tzinfo=location.zone)
    return value


def ensure_timing(starts_at: datetime, ends_at: datetime, *, check_start: bool, now=None):
    if ends_at <= starts_at:
        raise DomainError(_("The end must be after the start."), field="ends_at")
    if check_start and starts_at < (now or timezone.now()) - PAST_GRACE:
        raise DomainError(_("The start is in the past."), field="starts_at")


def ensure_title(title: str) -> str:
    title = (title or "").strip()
    if not title:
        raise DomainError(_("Give the appointment a title."), field="title")
    if len(title) > TITLE_MAX_LENGTH:
        raise DomainError(
            _("The title has at most %(count)d characters.") % {"count": TITLE_MAX_LENGTH},
            field="title",
        )
    return title


def ensure_description(description: str) -> str:
    description = (description or "").strip()
    if len(description) > DESCRIPTION_MAX_LENGTH:
        raise DomainError(
            _("The description has at most %(count)d characters.")
            % {"count": DESCRIPTION_MAX_LENGTH},
            field="description",
        )
    return description


def ensure_same_company(company, *, location=None, host=None) -> None:
    if location is not None and location.company_id != company.pk:
        raise DomainError(_("Choose one of your company's locations."), field="location")
    if host is not None and host.company != company:
        raise DomainError(_("The host must be a member of your company."), field="host")


def guest_infos(company, guests: list[NewGuest]) -> list[GuestInfo]:
    """Validated and de-duplicated; addresses at the company's own domains are colleagues:
    listed on the appointment, never e-mailed as guests."""
    infos, seen = [], set()
    for guest in guests:
        email = (guest.email or "").strip().lower()
        if not email:
            continue
        try:
            validate_email(email)
        except ValidationError:
            raise DomainError(
                _("%(email)s is not a valid e-mail address.") % {"email": email}, field="guests"
            ) from None
        if email in seen:
            continue
        seen.add(email)
        kind = GuestKind.COLLEAGUE if company.is_internal_email(email) else GuestKind.GUEST
        name = guest.full_name[:GUEST_NAME_MAX_LENGTH]
        infos.append(GuestInfo(email=email, name=name, kind=kind))
        if len(infos) > GUESTS_MAX:
            raise DomainError(
                _("At most %(count)d guests per appointment.") % {"count": GUESTS_MAX},
                field="guests",
            )
    if not infos:
        raise DomainError(_("Add at least one guest."), field="guests")
    return infos


def _by_token(company, host, token) -> Appointment | None:
    """The appointment this same submission created before: same company, same host. A key
    someone else used never hands out their appointment."""
    if token is None:
        return None
    found = Appointment.objects.filter(submission_token=token).first()
    if found is None:
        return None
    if found.company_id != company.pk or found.host_id != host.pk:
        raise DomainError(_("This idempotency key was already used for another request."))
    return found


def invite(
    *,
    company,
    host,
    location,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    guests: list[NewGuest],
    description: str = "",
    token=None,
    created_by=None,
) -> tuple[Appointment, bool]:
    """Create a manual appointment and invite its guests. `token` (a UUID from the form or
    the API's Idempotency-Key) makes a repeated submission return the first appointment:
    (appointment, created)."""
    existing = _by_token(company, host, token)
    if existing is not None:
        return existing, False
    ensure_same_company(company, location=location, host=host)
    title = ensure_title(title)
    description = ensure_description(description)
    starts_at, ends_at = in_zone(starts_at, location), in_zone(ends_at, location)
    ensure_timing(starts_at, ends_at, check_start=True)
    infos = guest_infos(company, guests)
    try:
        appointment, _change = create_appointment(
            company=company,
            host=host,
            location=location,
            title=title,
            timing=Timing(starts_at=starts_at, ends_at=ends_at, time_zone=location.time_zone),
            guests=infos,
            description=description,
            source=Source.MANUAL,
            submission_token=token,
            created_by=created_by,
        )
    except IntegrityError:
        existing = _by_token(company, host, token)  # the same form, sent twice at once
        if existing is None:
            raise
        return existing, False
    return appointment, True


def change(
    *,
    appointment: Appointment,
    title: str | None = None,
    location=None,
    starts_at: datetime | None = None,
    ends_at: datetime | None = None,
    description: str | None = None,
    guests: list[NewGuest] | None = None,
    host=None,
):
    """Change what was given (None: leave as it is). The outbox sends updates to the guests
    who see a difference, invitations to new guests, cancellations to removed ones."""
    ensure_changeable(appointment)
    company = appointment.company
    ensure_same_company(company, location=location, host=host)
    fields = {}
    if title is not None:
        fields["title"] = ensure_title(title)
    if description is not None:
        fields["description"] = ensure_description(description)
    if location is not None and location.pk != appointment.location_id:
        fields["location"] = location
    if host is not None and host.pk != appointment.host_id:
        fields["host"] = host
    place = location or appointment.location
    timing = None
    if starts_at is not None or ends_at is not None or "location" in fields:
        new_start = in_zone(starts_at, place) if starts_at else appointment.starts_at
        new_end = in_zone(ends_at, place) if ends_at else appointment.ends_at
        ensure_timing(new_start, new_end, check_start=new_start != appointment.starts_at)
        timing = Timing(starts_at=new_start, ends_at=new_end, time_zone=place.time_zone)
    infos = guest_infos(company, guests) if guests is not None else None
    return update_appointment(appointment=appointment, guests=infos, timing=timing, **fields)


def cancel(*, appointment: Appointment):
    """Cancel a manual appointment: each invited guest gets one cancellation."""
    ensure_changeable(appointment)
    return cancel_appointment(appointment=appointment, reason="cancelled in Portier")


@transaction.atomic
def walk_in(
    *,
    company,
    host,
    location,
    name: str,
    company_name: str = "",
    email: str = "",
    created_by=None,
    now: datetime | None = None,
) -> Guest:
    """An unannounced visitor registered at the front desk: an appointment of the chosen host
    from now on, with this one guest, that never e-mails the guest (the invitations outbox
    skips walk-ins). The e-mail address is optional."""
    ensure_same_company(company, location=location, host=host)
    if host is not None and not host.is_active:
        raise DomainError(_("Choose an active colleague as host."), field="host")
    name = " ".join((name or "").split())[:200]
    if not name:
        raise DomainError(_("Give the visitor's name."), field="name")
    email = (email or "").strip().lower()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise DomainError(
                _("%(email)s is not a valid e-mail address.") % {"email": email}, field="email"
            ) from None
    now = now or timezone.now()
    with translation.override(company.language):
        title = _("Walk-in: %(name)s") % {"name": name}
    appointment, _change = create_appointment(
        company=company,
        host=host,
        location=location,
        title=title,
        timing=Timing(starts_at=now, ends_at=now + WALK_IN_DURATION, time_zone=location.time_zone),
        guests=[],
        source=Source.WALK_IN,
        created_by=created_by,
    )
    return Guest.objects.create(
        appointment=appointment,
        email=email,
        name=name,
        company_name=" ".join((company_name or "").split())[:200],
        kind=GuestKind.GUEST,
        registered_at=now,  # registered by the front desk, in person
    )
