"""The outbox row: one e-mail, written with the change that causes it.

The table is still `invitations_notification` (the model moved here from `invitations` without
copying a row: see migrations/0001). Kinds are plain strings owned by the apps that register a
planner for them (`registry.py`), so a new kind needs no migration here.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portier.outbox import registry


class Status(models.TextChoices):
    QUEUED = "queued", _("queued")
    SENDING = "sending", _("sending")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")
    SKIPPED = "skipped", _("skipped")


class NotificationQuerySet(models.QuerySet):
    def due(self, now):
        return self.filter(status=Status.QUEUED, next_attempt_at__lte=now)

    def shown(self):
        """Rows a person cares about: skipped ones were superseded or never needed."""
        return self.exclude(status=Status.SKIPPED)


class Notification(models.Model):
    """One e-mail to one recipient. `key` makes writing it idempotent; `lane` orders a
    recipient's mail: rows of one lane are sent one at a time, in order.

    `appointment`, `guest`, `series`, `version`, `sent_version`, `data` belong to the planner of
    the row's kind (the outbox stores them and deletes them with their rows, never reads them).
    """

    company = models.ForeignKey("companies.Company", on_delete=models.CASCADE)
    kind = models.CharField(max_length=20)
    key = models.CharField(max_length=400, unique=True)
    lane = models.CharField(max_length=400, db_index=True)
    recipient = models.EmailField(max_length=320)
    appointment = models.ForeignKey(
        "visits.Appointment",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    guest = models.ForeignKey(
        "visits.Guest", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    series = models.ForeignKey(
        "visits.Series", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    version = models.PositiveIntegerField(default=0)  # the appointment version that caused it
    sent_version = models.PositiveIntegerField(null=True, blank=True)  # the one it described
    data = models.JSONField(default=dict, blank=True)  # what the planner needs to say

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    message_id = models.CharField(max_length=300, unique=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(auto_now=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        db_table = "invitations_notification"
        verbose_name = _("guest e-mail")
        verbose_name_plural = _("guest e-mails")
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="invitations_status_b718ef_idx")
        ]

    def __str__(self):
        return f"{self.kind} to {self.recipient} ({self.status})"

    @property
    def kind_label(self) -> str:
        return registry.label(self.kind)
