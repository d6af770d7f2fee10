from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CaughtMail(models.Model):
    """One e-mail Portier sent while the sandbox caught mail: as sent (raw) and parsed."""

    created = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    # The company whose outbox sent it; empty for account e-mails (password reset, invites to
    # colleagues), which only their recipients may read.
    company = models.ForeignKey(
        "companies.Company", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    sender = models.CharField(_("from"), max_length=320)
    recipients = models.JSONField(_("to"), default=list)  # the envelope: To, Cc and Bcc
    subject = models.CharField(_("subject"), max_length=998, blank=True)
    message_id = models.CharField(max_length=300, blank=True)
    text = models.TextField(blank=True)
    html = models.TextField(blank=True)
    raw = models.BinaryField()  # RFC 822 bytes, exactly what SMTP would have carried

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = _("caught e-mail")
        verbose_name_plural = _("caught e-mails")

    def __str__(self):
        return f"{self.subject} to {', '.join(self.recipients)}"

    @property
    def recipient_list(self) -> str:
        return ", ".join(self.recipients)

    def is_visible_to(self, user) -> bool:
        if self.company_id is not None:
            return self.company_id == getattr(user.company, "pk", None)
        return user.email.lower() in {r.lower() for r in self.recipients}


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
