from django.conf import settings
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from portier.lib.fields import EncryptedTextField


class Status(models.TextChoices):
    CONNECTED = "connected", _("connected")
    SYNCING = "syncing", _("syncing")
    NEEDS_RECONNECT = "needs_reconnect", _("needs reconnect")
    ERROR = "error", _("error")
    DISCONNECTED = "disconnected", _("disconnected")


class ConnectionQuerySet(models.QuerySet):
    def for_company(self, company):
        return self.filter(company=company)

    def for_user(self, user):
        """A host manages only their own connections."""
        return self.filter(user=user, company=user.company)

    def active(self):
        return self.exclude(status=Status.DISCONNECTED)


class Connection(models.Model):
    """One host's grant to one calendar account (a Google account, later an Outlook one)."""

    company = models.ForeignKey(
        "companies.Company", on_delete=models.CASCADE, related_name="connections"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="connections"
    )
    provider = models.CharField(max_length=20)  # registry slug: google, microsoft, ...
    account_id = models.CharField(_("account"), max_length=320)
    account_name = models.CharField(max_length=200, blank=True)
    # Where this connection's appointments land unless an event names a location code.
    location = models.ForeignKey(
        "locations.Location",
        verbose_name=_("integration location"),
        on_delete=models.PROTECT,
        related_name="connections",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.CONNECTED)
    last_error = models.TextField(blank=True)
    refresh_token = EncryptedTextField(blank=True)
    access_token = EncryptedTextField(blank=True)
    access_token_expires_at = models.DateTimeField(null=True, blank=True)
    scopes = models.TextField(blank=True)
    created = models.DateTimeField(auto_now_add=True)
    connected_at = models.DateTimeField(null=True, blank=True)
    disconnected_at = models.DateTimeField(null=True, blank=True)
    reauth_notified_at = models.DateTimeField(null=True, blank=True)

    objects = ConnectionQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "provider", "account_id"], name="one_connection_per_account"
            )
        ]
        ordering = ["provider", "account_id"]

    def __str__(self):
        return f"{self.provider}:{self.account_id}"

    @property
    def is_active(self) -> bool:
        return self.status != Status.DISCONNECTED

    @property
    def needs_reconnect(self) -> bool:
        return self.status == Status.NEEDS_RECONNECT

    @property
    def last_synced_at(self):
        times = [c.synced_at for c in self.calendars.all() if c.selected and c.synced_at]
        return max(times) if times else None


class CalendarQuerySet(models.QuerySet):
    def for_company(self, company):
        return self.filter(connection__company=company)

    def selected(self):
        return self.filter(selected=True, connection__status__in=SYNCABLE)


SYNCABLE = (Status.CONNECTED, Status.SYNCING, Status.ERROR)


def channel_token_digest(token: str) -> str:
    """What the webhook compares a push's channel token with instead of decrypting the stored
    one: an HMAC keyed with SECRET_KEY ("" for no token). After SECRET_KEY changes, a push is
    checked against the decrypted token once and the digest is written anew."""
    if not token:
        return ""
    return salted_hmac("portier.channel-token", token, algorithm="sha256").hexdigest()


class Calendar(models.Model):
    """One calendar of a connection, with its sync state (cursor, push channel, errors)."""

    connection = models.ForeignKey(Connection, on_delete=models.CASCADE, related_name="calendars")
    remote_id = models.CharField(max_length=500)
    name = models.CharField(max_length=300)
    time_zone = models.CharField(max_length=64, blank=True)
    is_primary = models.BooleanField(default=False)
    selected = models.BooleanField(_("synced"), default=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.CONNECTED)
    last_error = models.TextField(blank=True)
    sync_cursor = models.TextField(blank=True)
    synced_at = models.DateTimeField(null=True, blank=True)
    channel_id = models.CharField(max_length=64, blank=True)
    channel_token = EncryptedTextField(blank=True)
    # channel_token_digest(channel_token), kept by save(): writers that clear the token with
    # .update() clear channel_id too, so no push finds a stale digest.
    channel_token_hmac = models.CharField(max_length=64, blank=True, editable=False)
    channel_resource_id = models.CharField(max_length=200, blank=True)
    channel_expires_at = models.DateTimeField(null=True, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)  # gone from the account's list
    channel_error = models.TextField(blank=True)
    channel_failed_at = models.DateTimeField(null=True, blank=True)
    # Coordination of syncs: at most one at a time, one follow-up for whatever came meanwhile.
    sync_requested_at = models.DateTimeField(null=True, blank=True)
    sync_queued_at = models.DateTimeField(null=True, blank=True)
    sync_lease_until = models.DateTimeField(null=True, blank=True)
    sync_started_at = models.DateTimeField(null=True, blank=True)
    # The oldest push that no finished sync has covered yet, and how long the last covering
    # sync took from it: the sync lag that /metrics reports.
    push_received_at = models.DateTimeField(null=True, blank=True)
    push_lag_seconds = models.FloatField(null=True, blank=True)

    objects = CalendarQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["connection", "remote_id"], name="one_row_per_remote_calendar"
            )
        ]
        ordering = ["-is_primary", "name"]
        indexes = [models.Index(fields=["channel_id"])]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        fields = kwargs.get("update_fields")
        if fields is None or "channel_token" in fields:
            self.channel_token_hmac = channel_token_digest(self.channel_token)
            if fields is not None:
                kwargs["update_fields"] = [*fields, "channel_token_hmac"]
        super().save(*args, **kwargs)

    @property
    def has_channel(self) -> bool:
        return bool(self.channel_id)
