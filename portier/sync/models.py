from django.db import models
from django.utils.translation import gettext_lazy as _

from portier.sync import reasons


class SyncedEvent(models.Model):
    """Our memory of one marked remote event (or occurrence) in one calendar.

    Keyed by the provider's id in that calendar, because a deleted event comes back carrying
    nothing but that id. appointment is empty for occurrences beyond the horizon.
    """

    calendar = models.ForeignKey(
        "integrations.Calendar", on_delete=models.CASCADE, related_name="synced_events"
    )
    remote_id = models.CharField(max_length=1024)
    ical_uid = models.CharField(max_length=500, blank=True)
    instance_key = models.CharField(max_length=40, blank=True)
    series_id = models.CharField(max_length=1024, blank=True)
    appointment = models.ForeignKey(
        "visits.Appointment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="synced_events",
    )
    marked = models.BooleanField(default=True)
    starts_at = models.DateTimeField(null=True, blank=True)
    remote_updated = models.DateTimeField(null=True, blank=True)
    seen_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["calendar", "remote_id"], name="one_row_per_event")
        ]
        indexes = [models.Index(fields=["calendar", "series_id"])]

    def __str__(self):
        return f"{self.calendar_id}:{self.remote_id}"


class Action(models.TextChoices):
    PICKED_UP = "picked_up", _("picked up")
    UPDATED = "updated", _("changes seen")
    CANCELLED = "cancelled", _("cancelled")
    IGNORED = "ignored", _("ignored")
    HELD = "held", _("held for an invalid location code")
    RELEASED = "released", _("hold released")
    EMAILED = "emailed", _("guests e-mailed")
    ERROR = "error", _("error")


class SyncLogEntryQuerySet(models.QuerySet):
    def for_company(self, company):
        return self.filter(company=company)

    def still_ignored(self):
        """Ignored, held or unreadable events that nothing happened to since: a later line of
        the same event that is neither (picked up, released, …) means it is no longer ignored,
        a hold whose appointment is placed now is over, and any later line ends an unreadable
        one (the data could be read again)."""
        same_event_later = SyncLogEntry.objects.filter(
            calendar=models.OuterRef("calendar"),
            remote_id=models.OuterRef("remote_id"),
            created__gte=models.OuterRef("created"),
            pk__gt=models.OuterRef("pk"),
        )
        resolved = same_event_later.exclude(action__in=(Action.IGNORED, Action.HELD, Action.ERROR))
        placed = models.Q(action=Action.HELD, appointment__held_code="")
        ignored = models.Q(action__in=(Action.IGNORED, Action.HELD)) & ~models.Exists(resolved)
        unreadable = models.Q(action=Action.ERROR) & ~models.Exists(same_event_later)
        return self.filter(ignored | unreadable).exclude(placed)


class SyncLogEntry(models.Model):
    """What the sync did with one event, so "why didn't my guest get an invitation?" has an
    answer. Events without the marker are never logged."""

    company = models.ForeignKey("companies.Company", on_delete=models.CASCADE)
    calendar = models.ForeignKey(
        "integrations.Calendar", null=True, blank=True, on_delete=models.SET_NULL
    )
    appointment = models.ForeignKey(
        "visits.Appointment",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="sync_log",
    )
    remote_id = models.CharField(max_length=1024, blank=True)
    title = models.CharField(max_length=300, blank=True)
    action = models.CharField(max_length=12, choices=Action.choices)
    # Why, as a code and parameters (portier.sync.reasons), said in the reader's language;
    # reason keeps text that no code covers (rows older than the codes).
    code = models.CharField(max_length=40, blank=True)
    params = models.JSONField(default=dict, blank=True)
    reason = models.CharField(max_length=500, blank=True)
    created = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = SyncLogEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["calendar", "remote_id"])]

    def __str__(self):
        return f"{self.action}: {self.title}"

    @property
    def details(self) -> str:
        """The reason as a sentence in the active language."""
        return reasons.sentence(self.code, self.params) if self.code else self.reason
