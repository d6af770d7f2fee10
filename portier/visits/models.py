import secrets
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portier.sources import registry

CHECK_IN_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud at a desk


def new_check_in_code() -> str:
    return "".join(secrets.choice(CHECK_IN_ALPHABET) for _ in range(8))


def new_guest_token() -> str:
    return secrets.token_urlsafe(24)


class Source(models.TextChoices):
    """Where an appointment comes from when not from a calendar source. A synced appointment's
    source is its calendar source's slug (google, ...), named by the source registry."""

    MANUAL = "manual", _("manual")
    WALK_IN = "walk-in", _("walk-in")  # registered at the front desk: checked in, never e-mailed


class AppointmentStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    CANCELLED = "cancelled", _("cancelled")


class Series(models.Model):
    """A recurring event: its occurrences are appointments; guests are invited once to it."""

    company = models.ForeignKey("companies.Company", on_delete=models.CASCADE)
    host = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    ical_uid = models.CharField(max_length=500)
    remote_id = models.CharField(max_length=500, blank=True)  # the provider's series id
    title = models.CharField(max_length=300, blank=True)
    rule = models.TextField(blank=True)  # RRULE/EXDATE lines as the calendar sent them
    time_zone = models.CharField(max_length=64, blank=True)
    status = models.CharField(
        max_length=12, choices=AppointmentStatus.choices, default=AppointmentStatus.ACTIVE
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["company", "ical_uid"], name="one_series_per_uid")
        ]

    def __str__(self):
        return self.title or self.ical_uid


class AppointmentQuerySet(models.QuerySet):
    def for_company(self, company):
        return self.filter(company=company)

    def visible_to(self, user):
        """Admins see their whole company's appointments, hosts their own."""
        qs = self.for_company(user.company)
        return qs if user.is_company_admin else qs.filter(host=user)

    def active(self):
        return self.filter(status=AppointmentStatus.ACTIVE)


class Appointment(models.Model):
    """A planned visit. Synced ones mirror a calendar event and are read-only in Portier."""

    company = models.ForeignKey(
        "companies.Company", on_delete=models.CASCADE, related_name="appointments"
    )
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="hosted_appointments"
    )
    location = models.ForeignKey(
        "locations.Location", on_delete=models.PROTECT, related_name="appointments"
    )
    title = models.CharField(_("title"), max_length=300)
    # Manual appointments only: shown in the invitation. A synced event's description is
    # never stored (it may hold anything; a visit does not need it).
    description = models.TextField(_("description"), blank=True)
    # Timed: the instants, in UTC. All-day: local dates (end exclusive); starts_at/ends_at are
    # then midnight at the location, kept only for sorting and filtering.
    starts_at = models.DateTimeField(_("start"), db_index=True)
    ends_at = models.DateTimeField(_("end"))
    all_day = models.BooleanField(default=False)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    time_zone = models.CharField(max_length=64, blank=True)  # the event's own zone
    location_text = models.CharField(max_length=500, blank=True)  # as typed in the calendar
    status = models.CharField(
        max_length=12, choices=AppointmentStatus.choices, default=AppointmentStatus.ACTIVE
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # The location code that placed it (blank: the integration location or chosen by hand).
    location_code = models.CharField(max_length=12, blank=True)
    # A code that matches no location: no guest is e-mailed until the host fixes the event.
    held_code = models.CharField(max_length=40, blank=True)

    # Source.MANUAL (or another Source) or a calendar source's slug: no migration per source.
    source = models.CharField(max_length=12, default=Source.MANUAL)
    connection = models.ForeignKey(
        "integrations.Connection", null=True, blank=True, on_delete=models.SET_NULL
    )
    calendar = models.ForeignKey(
        "integrations.Calendar", null=True, blank=True, on_delete=models.SET_NULL
    )
    remote_id = models.CharField(max_length=500, blank=True)
    ical_uid = models.CharField(max_length=500, blank=True)
    instance_key = models.CharField(max_length=40, blank=True)  # original start of an occurrence
    html_link = models.URLField(max_length=1000, blank=True)
    # Who made it in Portier (manual appointments, walk-ins); told of arrivals besides the host.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    series = models.ForeignKey(
        Series, null=True, blank=True, on_delete=models.SET_NULL, related_name="occurrences"
    )

    version = models.PositiveIntegerField(default=1)
    fingerprint = models.JSONField(default=dict)
    # Manual ones: the form's (or API request's) idempotency token; a resubmission finds it.
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            # One appointment per event occurrence per company, however many calendars show it.
            models.UniqueConstraint(
                fields=["company", "ical_uid", "instance_key"],
                name="one_appointment_per_event_occurrence",
                condition=~models.Q(ical_uid=""),
            )
        ]
        indexes = [
            models.Index(fields=["company", "starts_at"]),
            models.Index(fields=["company", "ends_at"]),  # upcoming = not yet ended
        ]

    def __str__(self):
        return self.title

    @property
    def source_name(self) -> str:
        if self.source in Source.values:
            return str(Source(self.source).label)
        return registry.display_name(self.source)

    @property
    def is_synced(self) -> bool:
        return self.source not in (Source.MANUAL, Source.WALK_IN)

    @property
    def is_walk_in(self) -> bool:
        return self.source == Source.WALK_IN

    @property
    def is_cancelled(self) -> bool:
        return self.status == AppointmentStatus.CANCELLED

    @property
    def is_held(self) -> bool:
        return bool(self.held_code)


class GuestKind(models.TextChoices):
    GUEST = "guest", _("guest")
    COLLEAGUE = "colleague", _("colleague")


class GuestQuerySet(models.QuerySet):
    def current(self):
        return self.filter(removed_at__isnull=True)

    def invitable(self):
        return self.current().filter(kind=GuestKind.GUEST)

    def expected_at(self, location, day: date, *, include_called_off: bool = False):
        """Guests (not colleagues) of the location's appointments on `day`, a date in the
        location's own time zone. Only active, placed appointments unless `include_called_off`
        (the front desk also shows cancelled and held ones, with their state)."""
        start = datetime.combine(day, time(0), location.zone)
        end = datetime.combine(day + timedelta(days=1), time(0), location.zone)
        qs = self.invitable().filter(appointment__location=location)
        if not include_called_off:
            qs = qs.filter(appointment__status=AppointmentStatus.ACTIVE, appointment__held_code="")
        return (
            qs.filter(
                Q(
                    appointment__all_day=False,
                    appointment__starts_at__lt=end,
                    appointment__ends_at__gt=start,
                )
                | Q(
                    appointment__all_day=True,
                    appointment__start_date__lte=day,
                    appointment__end_date__gt=day,
                )
            )
            .select_related("appointment__host", "appointment__location")
            .order_by("appointment__starts_at", "name", "email")
        )


class Guest(models.Model):
    """Someone on an appointment: an external guest (invited) or a colleague (listed only)."""

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="guests")
    email = models.EmailField(max_length=320)
    name = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=10, choices=GuestKind.choices, default=GuestKind.GUEST)
    language = models.CharField(max_length=8, blank=True)
    check_in_code = models.CharField(max_length=12, unique=True, default=new_check_in_code)
    token = models.CharField(max_length=64, unique=True, default=new_guest_token)
    added_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    # Pre-registration on the guest page (issue 13).
    company_name = models.CharField(_("company"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    registered_at = models.DateTimeField(null=True, blank=True)
    rules_accepted_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)
    erased_at = models.DateTimeField(null=True, blank=True)

    objects = GuestQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["appointment", "email"], name="one_guest_per_email")
        ]
        ordering = ["name", "email"]

    def __str__(self):
        return f"{self.name} <{self.email}>" if self.name else self.email


class AppointmentVersion(models.Model):
    """Each guest-visible state of an appointment, so e-mails can say what changed."""

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    fingerprint = models.JSONField()
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["appointment", "number"], name="one_row_per_version")
        ]
        ordering = ["number"]

    def __str__(self):
        return f"{self.appointment_id} v{self.number}"
