"""A guest's visit at the location: checked in, on site, checked out; and the kiosks."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Via(models.TextChoices):
    DESK = "desk", _("front desk")
    KIOSK = "kiosk", _("kiosk")
    API = "api", _("API")
    AUTO = "auto", _("automatic")


class KioskQuerySet(models.QuerySet):
    def for_company(self, company):
        return self.filter(company=company)

    def active(self):
        return self.filter(revoked_at__isnull=True)


class Kiosk(models.Model):
    """A self-service check-in device at a location, reached by a secret link (no session)."""

    company = models.ForeignKey("companies.Company", on_delete=models.CASCADE)
    location = models.ForeignKey(
        "locations.Location", on_delete=models.CASCADE, related_name="kiosks"
    )
    name = models.CharField(_("name"), max_length=100)
    secret_hash = models.CharField(max_length=64, unique=True)  # sha256 of the link's secret
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_seen_at = models.DateTimeField(null=True, blank=True)

    objects = KioskQuerySet.as_manager()

    class Meta:
        verbose_name = _("kiosk")
        verbose_name_plural = _("kiosks")
        ordering = ["name"]

    def __str__(self):
        return self.name


class VisitQuerySet(models.QuerySet):
    def for_company(self, company):
        return self.filter(location__company=company)

    def on_site(self, location):
        """Everybody checked in at the location and not (yet) out: the evacuation list."""
        return (
            self.filter(location=location, checked_out_at__isnull=True, left_without_checkout=False)
            .select_related("guest__appointment__host")
            .order_by("guest__name", "guest__email")
        )


class Visit(models.Model):
    """One guest's check-in (and check-out) at a location. At most one per guest."""

    guest = models.OneToOneField("visits.Guest", on_delete=models.CASCADE, related_name="visit")
    location = models.ForeignKey(
        "locations.Location", on_delete=models.PROTECT, related_name="visits"
    )
    checked_in_at = models.DateTimeField(_("checked in"))
    checked_out_at = models.DateTimeField(_("checked out"), null=True, blank=True)
    checked_in_via = models.CharField(max_length=8, choices=Via.choices, default=Via.DESK)
    checked_out_via = models.CharField(max_length=8, choices=Via.choices, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kiosk = models.ForeignKey(Kiosk, null=True, blank=True, on_delete=models.SET_NULL)
    left_without_checkout = models.BooleanField(_("left without check-out"), default=False)

    objects = VisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        indexes = [models.Index(fields=["location", "checked_out_at"])]

    def __str__(self):
        return f"{self.guest} @ {self.location}"

    @property
    def is_on_site(self) -> bool:
        return self.checked_out_at is None and not self.left_without_checkout


class RetentionRun(models.Model):
    """Audit row of one erasure of guests' personal data (the daily retention task)."""

    company = models.ForeignKey("companies.Company", on_delete=models.CASCADE)
    location = models.ForeignKey("locations.Location", on_delete=models.CASCADE, related_name="+")
    ran_at = models.DateTimeField()
    cutoff = models.DateTimeField()  # visits that ended before this were erased
    guests_erased = models.PositiveIntegerField(default=0)
    notifications_erased = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-ran_at"]

    def __str__(self):
        return f"{self.location_id} {self.ran_at:%Y-%m-%d}: {self.guests_erased}"
