import json

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portier.visits.models import Appointment


class Audience(models.TextChoices):
    # Anything addressed to one person (password reset and set-password links, host notices):
    # it may carry a secret, so nobody else may read it.
    RECIPIENTS = "recipients", _("its recipients only")
    # A guest e-mail: its recipients, and whoever may see the appointment (or series) in Portier.
    APPOINTMENT = "appointment", _("who may see the appointment")


class CaughtMailQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Mail to the user's own address, and the guest e-mails of the appointments the user
        may see (Appointment.objects.visible_to: admins the company's, hosts their own)."""
        # The recipients are a JSON list: match the quoted address (works on SQLite and
        # PostgreSQL alike; `contains` on a JSONField does not exist on SQLite).
        own = Q(recipients__icontains=json.dumps(user.email.lower()))
        company = getattr(user, "company", None)
        if company is None:
            return self.filter(own)
        guest_mail = Q(audience=Audience.APPOINTMENT, company=company)
        if not user.is_company_admin:
            guest_mail &= Q(appointment__in=Appointment.objects.visible_to(user)) | Q(
                appointment__isnull=True, series__host=user
            )
        return self.filter(own | guest_mail)


class CaughtMail(models.Model):
    """One e-mail Portier sent while the sandbox caught mail: as sent (raw) and parsed."""

    created = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    # The company whose outbox sent it; empty for account e-mails (password reset).
    company = models.ForeignKey(
        "companies.Company", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    audience = models.CharField(
        max_length=12, choices=Audience.choices, default=Audience.RECIPIENTS
    )
    # A guest e-mail's appointment, or its series for a series-wide one (from the outbox row).
    # Gone (deleted): only admins and the recipients still see the e-mail.
    appointment = models.ForeignKey(
        "visits.Appointment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    series = models.ForeignKey(
        "visits.Series", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sender = models.CharField(_("from"), max_length=320)
    recipients = models.JSONField(_("to"), default=list)  # the envelope: To, Cc and Bcc
    subject = models.CharField(_("subject"), max_length=998, blank=True)
    message_id = models.CharField(max_length=300, blank=True)
    text = models.TextField(blank=True)
    html = models.TextField(blank=True)
    raw = models.BinaryField()  # RFC 822 bytes, exactly what SMTP would have carried

    objects = CaughtMailQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("caught e-mail")
        verbose_name_plural = _("caught e-mails")

    def __str__(self):
        return f"{self.subject} to {', '.join(self.recipients)}"

    @property
    def recipient_list(self) -> str:
        return ", ".join(self.recipients)


class CaughtAttachment(models.Model):
    """A part of a caught e-mail that is neither its text nor its HTML body."""

    mail = models.ForeignKey(CaughtMail, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100)
    content_id = models.CharField(max_length=300, blank=True)  # without <>
    inline = models.BooleanField(default=False)
    data = models.BinaryField()

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.filename or self.content_type

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")

    @property
    def text_preview(self) -> str:
        """The content of a small text part (the .ics), for showing on the page."""
        if not self.content_type.startswith("text/") or self.size > 64_000:
            return ""
        return bytes(self.data).decode("utf-8", "replace")

    @property
    def display_name(self) -> str:
        return self.filename or self.content_id or self.content_type
