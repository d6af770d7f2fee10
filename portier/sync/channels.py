"""Push channels: one per synced calendar, stored before the provider is asked for it."""

import logging
import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from portier.integrations.models import Calendar
from portier.integrations.services import provider_for
from portier.sources.base import ProviderError, push_channels

logger = logging.getLogger(__name__)
RENEW_BEFORE = timedelta(days=1)


def notification_address(provider: str) -> str:
    return settings.PORTIER_BASE_URL + reverse(
        "integrations:notifications", kwargs={"slug": provider}
    )


def needs_channel(calendar: Calendar, now=None) -> bool:
    now = now or timezone.now()
    if not settings.PORTIER_PUSH_ENABLED:
        return False
    return not calendar.channel_id or (
        calendar.channel_expires_at is not None and calendar.channel_expires_at < now + RENEW_BEFORE
    )


def open_channel(calendar: Calendar) -> Calendar:
    """Open a new channel (replacing an old one, which is then stopped)."""
    old_id, old_resource = calendar.channel_id, calendar.channel_resource_id
    channel_id, token = uuid.uuid4().hex, secrets.token_urlsafe(32)
    # Store first: Google may deliver the sync message before watch() returns.
    calendar.channel_id, calendar.channel_token = channel_id, token
    calendar.channel_resource_id, calendar.channel_expires_at = "", None
    calendar.save(
        update_fields=["channel_id", "channel_token", "channel_resource_id", "channel_expires_at"]
    )
    with provider_for(calendar.connection) as client:
        provider = push_channels(client)
        if provider is None:
            return calendar
        try:
            channel = provider.watch(
                calendar.remote_id,
                channel_id=channel_id,
                token=token,
                address=notification_address(calendar.connection.provider),
                ttl=settings.PORTIER_CHANNEL_TTL_SECONDS,
            )
        except ProviderError as exc:
            logger.warning("calendar %s: no push channel: %s", calendar.pk, exc)
            Calendar.objects.filter(pk=calendar.pk).update(
                channel_id="",
                channel_token="",
                channel_error=str(exc)[:2000],
                channel_failed_at=timezone.now(),
            )
            calendar.refresh_from_db()
            return calendar
        Calendar.objects.filter(pk=calendar.pk, channel_id=channel_id).update(
            channel_resource_id=channel.resource_id,
            channel_expires_at=channel.expires_at,
            channel_error="",
            channel_failed_at=None,
        )
        if old_id:
            try:
                provider.stop_channel(channel_id=old_id, resource_id=old_resource)
            except ProviderError as exc:
                logger.info("calendar %s: old channel not stopped: %s", calendar.pk, exc)
    calendar.refresh_from_db()
    return calendar


def close_channel(calendar: Calendar) -> None:
    if not calendar.channel_id:
        return
    with provider_for(calendar.connection) as client:
        provider = push_channels(client)
        try:
            if provider is not None:
                provider.stop_channel(
                    channel_id=calendar.channel_id, resource_id=calendar.channel_resource_id
                )
        except ProviderError as exc:
            logger.info("calendar %s: channel not stopped: %s", calendar.pk, exc)
    Calendar.objects.filter(pk=calendar.pk).update(
        channel_id="", channel_token="", channel_resource_id="", channel_expires_at=None
    )
