"""Connecting, refreshing and disconnecting calendar accounts."""

import logging

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portier.integrations import notices
from portier.integrations.models import Calendar, Connection, Status
from portier.lib.errors import DomainError
from portier.locations.models import Location
from portier.sources import registry
from portier.sources.base import (
    CalendarClient,
    FormFlow,
    OAuthFlow,
    ProviderError,
    RemoteCalendar,
    Tokens,
    push_channels,
    revocable,
)

log = logging.getLogger(__name__)


class ConnectError(DomainError):
    pass


def ensure_can_connect(user) -> None:
    if user.primary_location_id is None:
        raise ConnectError(
            _("Set your primary location in your profile before you connect a calendar.")
        )


def tokens_of(connection: Connection) -> Tokens:
    return Tokens(
        refresh_token=connection.refresh_token,
        access_token=connection.access_token,
        expires_at=connection.access_token_expires_at,
        scopes=tuple(connection.scopes.split()),
    )


def provider_for(connection: Connection) -> CalendarClient:
    """A client of the connection's source, with its stored tokens (one per task)."""
    return registry.client(connection.provider, tokens_of(connection))


def callback_url(slug: str) -> str:
    """Where an OAuth source sends the browser back (registered with the provider)."""
    return settings.PORTIER_BASE_URL + reverse("integrations:callback", kwargs={"slug": slug})


def store_tokens(connection: Connection, tokens: Tokens) -> None:
    connection.refresh_token = tokens.refresh_token
    connection.access_token = tokens.access_token
    connection.access_token_expires_at = tokens.expires_at
    connection.scopes = " ".join(tokens.scopes)


def _failed(slug: str, user, exc: ProviderError) -> ConnectError:
    log.warning("%s connect failed for user %s: %s", slug, user.pk, exc)
    return ConnectError(
        _("%(source)s did not complete the connection: %(reason)s")
        % {"source": registry.display_name(slug), "reason": exc}
    )


def complete_oauth_connect(*, user, slug: str, code: str, code_verifier: str) -> Connection:
    """Exchange the code, identify the account, store the connection and its calendars."""
    ensure_can_connect(user)
    flow = registry.get(slug).connect
    if not isinstance(flow, OAuthFlow):
        raise ConnectError(_("This calendar source does not connect through a redirect."))
    try:
        tokens = flow.finish(
            redirect_uri=callback_url(slug), code=code, code_verifier=code_verifier
        )
    except ProviderError as exc:
        raise _failed(slug, user, exc) from exc
    return connect_with_tokens(user=user, slug=slug, tokens=tokens)


def connect_with_tokens(*, user, slug: str, tokens: Tokens) -> Connection:
    """Nothing is stored unless every step succeeded. Reconnecting the same account replaces
    the tokens on the existing row, so its history and settings stay."""
    ensure_can_connect(user)
    try:
        with registry.client(slug, tokens) as provider:
            calendars = provider.list_calendars()
            account = provider.account(calendars)
            tokens = provider.current_tokens()
    except ProviderError as exc:
        raise _failed(slug, user, exc) from exc
    with transaction.atomic():
        connection = (
            Connection.objects.select_for_update()
            .filter(user=user, provider=slug, account_id=account.account_id)
            .first()
        )
        if connection is None:
            connection = Connection(
                company=user.company,
                user=user,
                provider=slug,
                account_id=account.account_id,
                location=user.primary_location,
            )
        reconnected = connection.pk is not None
        connection.account_name = account.name
        connection.status = Status.CONNECTED
        connection.last_error = ""
        connection.connected_at = timezone.now()
        connection.disconnected_at = None
        connection.reauth_notified_at = None
        store_tokens(connection, tokens)
        connection.save()
        if reconnected:
            # Resume with a full resync: changes during the outage are found by comparison.
            connection.calendars.update(sync_cursor="")
        _merge_calendars(connection, calendars)
    return connection


def _merge_calendars(connection: Connection, remote: list[RemoteCalendar]) -> None:
    """Upsert calendars by remote id; the primary one is synced by default."""
    existing = {c.remote_id: c for c in connection.calendars.all()}
    seen = set()
    for item in remote:
        seen.add(item.remote_id)
        calendar = existing.get(item.remote_id)
        if calendar is None:
            Calendar.objects.create(
                connection=connection,
                remote_id=item.remote_id,
                name=item.name,
                time_zone=item.time_zone,
                is_primary=item.is_primary,
                selected=item.is_primary,
            )
            continue
        calendar.name = item.name
        calendar.time_zone = item.time_zone
        calendar.is_primary = item.is_primary
        calendar.removed_at = None
        calendar.save(update_fields=["name", "time_zone", "is_primary", "removed_at"])
    for remote_id, calendar in existing.items():
        if remote_id not in seen and calendar.removed_at is None:
            calendar.removed_at = timezone.now()
            calendar.selected = False
            calendar.save(update_fields=["removed_at", "selected"])


def refresh_calendars(*, connection: Connection) -> Connection:
    """Re-read the account's calendar list (new, renamed, removed calendars)."""
    with provider_for(connection) as provider:
        try:
            calendars = provider.list_calendars()
        except ProviderError as exc:
            record_provider_error(connection=connection, error=exc)
            raise
        tokens = provider.current_tokens()
    with transaction.atomic():
        connection = Connection.objects.select_for_update().get(pk=connection.pk)
        store_tokens(connection, tokens)
        if connection.status == Status.ERROR:
            connection.status = Status.CONNECTED
            connection.last_error = ""
        connection.save()
        _merge_calendars(connection, calendars)
    return connection


def record_provider_error(*, connection: Connection, error: ProviderError) -> Connection:
    """Write what went wrong where the host sees it; a lost grant asks for a reconnect."""
    with transaction.atomic():
        connection = Connection.objects.select_for_update().get(pk=connection.pk)
        if not connection.is_active:
            return connection
        connection.last_error = str(error)[:2000]
        if error.reauth:
            connection.status = Status.NEEDS_RECONNECT
            # Exactly once per lost grant: the row, not the queue, remembers we told the host.
            if connection.reauth_notified_at is None:
                connection.reauth_notified_at = timezone.now()
                notices.reconnect_needed(connection)
        else:
            connection.status = Status.ERROR
        connection.save()
    return connection


def connect_with_form(*, user, slug: str, cleaned_data) -> Connection:
    """A form flow's answer (server URL, app password, ...) becomes the connection's tokens."""
    flow = registry.get(slug).connect
    if not isinstance(flow, FormFlow):
        raise ConnectError(_("This calendar source does not connect through a form."))
    return connect_with_tokens(user=user, slug=slug, tokens=flow.tokens(cleaned_data))


@transaction.atomic
def update_connection_settings(
    *, connection: Connection, location: Location, selected_calendar_ids: list[int]
) -> Connection:
    if location.company_id != connection.company_id:
        raise DomainError(_("Unknown location."), field="location")
    connection.location = location
    connection.save(update_fields=["location"])
    calendars = connection.calendars.filter(removed_at__isnull=True)
    calendars.filter(pk__in=selected_calendar_ids).update(selected=True)
    calendars.exclude(pk__in=selected_calendar_ids).update(selected=False)
    return connection


def disconnect(*, connection: Connection) -> Connection:
    """Stop push channels, revoke the grant, delete the tokens; appointments stay.

    The provider failing to answer does not keep the tokens: the host asked us to forget them.
    """
    if not connection.is_active:
        return connection
    problems = []
    with provider_for(connection) as provider:
        push = push_channels(provider)
        for calendar in connection.calendars.exclude(channel_id=""):
            if push is None:
                break
            try:
                push.stop_channel(
                    channel_id=calendar.channel_id, resource_id=calendar.channel_resource_id
                )
            except ProviderError as exc:
                problems.append(str(exc))
        grant = revocable(provider)
        if grant is not None:
            try:
                grant.revoke()
            except ProviderError as exc:
                problems.append(str(exc))
    with transaction.atomic():
        connection = Connection.objects.select_for_update().get(pk=connection.pk)
        connection.status = Status.DISCONNECTED
        connection.disconnected_at = timezone.now()
        connection.refresh_token = ""
        connection.access_token = ""
        connection.access_token_expires_at = None
        connection.last_error = "; ".join(problems)[:2000]
        connection.save()
        connection.calendars.update(
            channel_id="",
            channel_token="",
            channel_resource_id="",
            channel_expires_at=None,
            sync_cursor="",
        )
    if problems:
        log.warning("disconnect of connection %s: %s", connection.pk, "; ".join(problems))
    return connection
