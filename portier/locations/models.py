import re
import zoneinfo
from datetime import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _

CODE_RE = re.compile(r"^[A-Z0-9]{2,12}$")


def normalize_code(value: str | None) -> str | None:
    """Codes are compared and stored upper-case; blank means no code."""
    value = (value or "").strip().upper()
    return value or None


def validate_code(value: str | None) -> None:
    if value and not CODE_RE.match(value.strip().upper()):
        raise ValidationError(
            _("A location code has 2 to 12 letters (A–Z) or digits, nothing else."),
            code="malformed_code",
        )


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("%(zone)s is not a known time zone (for example Europe/Berlin)."),
            params={"zone": value},
            code="bad_time_zone",
        )


class LocationQuerySet(models.QuerySet):
    def for_company(self, company):
        return self.filter(company=company)

    def with_code(self):
        return self.exclude(code__isnull=True)


class Location(models.Model):
    company = models.ForeignKey(
        "companies.Company", on_delete=models.CASCADE, related_name="locations"
    )
    name = models.CharField(_("name"), max_length=200)
    address = models.TextField(_("address"), help_text=_("Street, postcode and city."))
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Berlin", validators=[validate_time_zone]
    )
    # NULL, not "", for "no code": the unique constraint then ignores code-less locations.
    code = models.CharField(  # noqa: DJ001
        _("location code"),
        max_length=12,
        null=True,
        blank=True,
        validators=[validate_code],
        help_text=_("Optional. 2–12 letters or digits, e.g. ANHQ. Hosts type it into an event."),
    )
    language = models.CharField(
        _("language for guests"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Leave empty to use the company's language."),
    )
    # The front desk (issue 13).
    check_in_opens_minutes = models.PositiveIntegerField(
        _("check-in opens (minutes before)"),
        default=30,
        help_text=_("How many minutes before the visit a guest can check in."),
    )
    check_in_grace_minutes = models.PositiveIntegerField(
        _("check-in grace (minutes after)"),
        default=120,
        help_text=_("How many minutes after the visit's end a guest can still check in."),
    )
    day_ends_at = models.TimeField(
        _("end of the day"),
        default=time(20, 0),
        help_text=_("After this time the front desk lists guests who never checked out."),
    )
    requires_preregistration = models.BooleanField(
        _("guests must pre-register"),
        default=False,
        help_text=_("Guests confirm their details and the house rules before they check in."),
    )
    house_rules_en = models.TextField(_("house rules (English)"), blank=True)
    house_rules_de = models.TextField(_("house rules (German)"), blank=True)
    retention_days = models.PositiveIntegerField(
        _("keep visitor data (days)"),
        default=90,
        help_text=_("Guests' personal data is erased this many days after the visit."),
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = LocationQuerySet.as_manager()

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                "company",
                Upper("code"),
                name="location_code_unique_per_company",
                condition=models.Q(code__isnull=False),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.code})" if self.code else self.name

    def save(self, *args, **kwargs):
        self.code = normalize_code(self.code)
        super().save(*args, **kwargs)

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def guest_language(self) -> str:
        return self.language or self.company.language
