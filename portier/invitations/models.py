"""The outbox: every guest e-mail is a row first, written with the change that causes it."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    INVITATION = "invitation", _("invitation")
    UPDATE = "update", _("update")
    CANCELLATION = "cancellation", _("cancellation")
    SERIES_INVITATION = "series-invitation", _("series invitation")
    SERIES_CANCELLATION = "series-cancellation", _("series cancellation")
    # To the host, not a guest: through the same durable outbox.
    HOST_INVALID_CODE = "host-invalid-code", _("invalid location code (to the host)")
    HOST_RECONNECT = "host-reconnect", _("reconnect needed (to the host)")
    COLLEAGUE_INVITE = "colleague-invite", _("invitation to join (to a colleague)")
    HOST_ARRIVAL = "host-arrival", _("guest arrived (to the host)")
    HOST_GUEST_DECLINED = "host-declined", _("guest declined (to the host)")


INVITING = (Kind.INVITATION, Kind.SERIES_INVITATION)
CANCELLING = (Kind.CANCELLATION, Kind.SERIES_CANCELLATION)
# E-mails to people of the company, not guests (see host_notices.py).
HOST_KINDS = (
    Kind.HOST_INVALID_CODE,
    Kind.HOST_RECONNECT,
    Kind.COLLEAGUE_INVITE,
    Kind.HOST_ARRIVAL,
    Kind.HOST_GUEST_DECLINED,
)


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
    """One e-mail to one guest. `key` makes writing it idempotent; `lane` orders a guest's mail.

    Rows of one lane (a guest of one appointment, or of one series) are sent one at a time, in
    order, and a row whose change a sent row already covered is skipped, never sent late.
    """

    company = models.ForeignKey("companies.Company", on_delete=models.CASCADE)
    kind = models.CharField(max_length=20, choices=Kind.choices)
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
    data = models.JSONField(default=dict, blank=True)  # removed, ends_after: what to say

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
        verbose_name = _("guest e-mail")
        verbose_name_plural = _("guest e-mails")
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"{self.kind} to {self.recipient} ({self.status})"

    @property
    def is_series_wide(self) -> bool:
        return self.kind in (Kind.SERIES_INVITATION, Kind.SERIES_CANCELLATION)
