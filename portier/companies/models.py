from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Company(models.Model):
    """The tenant. Every row that belongs to a company is reached through it."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    language = models.CharField(
        _("default language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    # Guests at these domains are colleagues, not visitors: they never get guest e-mails.
    internal_domains = models.JSONField(_("internal e-mail domains"), default=list, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("company")
        verbose_name_plural = _("companies")

    def __str__(self):
        return self.name

    def is_internal_email(self, email: str) -> bool:
        domain = email.rpartition("@")[2].lower()
        return domain in {d.lower() for d in self.internal_domains}


class Role(models.TextChoices):
    ADMIN = "admin", _("Admin")
    HOST = "host", _("Host")
    RECEPTION = "reception", _("Reception")


class MembershipQuerySet(models.QuerySet):
    def for_company(self, company):
        return self.filter(company=company)


class Membership(models.Model):
    """A user's place in a company. One company per user."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.HOST)
    # Reception only: the front desks it works. Empty means every location of the company.
    locations = models.ManyToManyField(
        "locations.Location",
        verbose_name=_("locations"),
        blank=True,
        related_name="reception_memberships",
        help_text=_("Reception only. Leave empty for every location."),
    )
    created = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self):
        return f"{self.user} @ {self.company} ({self.role})"

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def is_reception(self) -> bool:
        return self.role == Role.RECEPTION


class AuditAction(models.TextChoices):
    MEMBER_DEACTIVATED = "member_deactivated", _("member deactivated")
    MEMBER_REACTIVATED = "member_reactivated", _("member reactivated")


class AuditEntryQuerySet(models.QuerySet):
    def for_company(self, company):
        return self.filter(company=company)


class AuditEntry(models.Model):
    """Who did what to whom: destructive administrative actions leave one row each."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="audit_entries")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(max_length=40, choices=AuditAction.choices)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # The e-mail addresses as they were, readable after the people are gone.
    actor_label = models.CharField(max_length=320)
    subject_label = models.CharField(max_length=320)
    created = models.DateTimeField(auto_now_add=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-created"]

    def __str__(self):
        return f"{self.actor_label} {self.action} {self.subject_label}"
