"""Connecting, refreshing and disconnecting calendar accounts."""

import logging

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portier.integrations import google
from portier.integrations.base import ProviderError, RemoteCalendar, Tokens
from portier.integrations.models import Calendar, Connection, Status
from portier.lib.errors import DomainError
from portier.locations.models import Location

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


def provider_for(connection: Connection):
    from portier.integrations.registry import provider_class

    return provider_class(connection.provider)(tokens_of(connection))


def store_tokens(connection: Connection, tokens: Tokens) -> None:
    connection.refresh_token = tokens.refresh_token
    connection.access_token = tokens.access_token
    connection.access_token_expires_at = tokens.expires_at
    connection.scopes = " ".join(tokens.scopes)


def complete_google_connect(*, user, code: str, code_verifier: str) -> Connection:
    """Exchange the code, identify the account, store the connection and its calendars."""
    ensure_can_connect(user)
    try:
        tokens = google.exchange_code(code=code, code_verifier=code_verifier)
    except ProviderError as exc:
        log.warning("google connect failed for user %s: %s", user.pk, exc)
        raise ConnectError(
            _("Google did not complete the connection: %(reason)s") % {"reason": exc}
        ) from exc
    return connect_google_with_tokens(user=user, tokens=tokens)


def connect_google_with_tokens(*, user, tokens: Tokens) -> Connection:
    """Nothing is stored unless every step succeeded. Reconnecting the same account replaces
    the tokens on the existing row, so its history and settings stay."""
    ensure_can_connect(user)
    try:
        with google.Google(tokens) as provider:
            calendars = provider.list_calendars()
            account = provider.account(calendars)
            tokens = provider.current_tokens()
    except ProviderError as exc:
        log.warning("google connect failed for user %s: %s", user.pk, exc)
        raise ConnectError(
            _("Google did not complete the connection: %(reason)s") % {"reason": exc}
        ) from exc
    with transaction.atomic():
        connection = (
            Connection.objects.select_for_update()
            .filter(user=user, provider="google", account_id=account.account_id)
            .first()
        )
        if connection is None:
            connection = Connection(
                company=user.company,
                user=user,
                provider="google",
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
                _notify_reconnect_needed(connection)
        else:
            connection.status = Status.ERROR
        connection.save()
    return connection


def _notify_reconnect_needed(connection: Connection) -> None:
    from portier.invitations import host_notices
    from portier.invitations.models import Kind
    from portier.lib.mail import absolute_url

    user = connection.user
    host_notices.write(
        kind=Kind.HOST_RECONNECT,
        key=f"reconnect:{connection.pk}:{connection.reauth_notified_at.isoformat()}",
        company=connection.company,
        recipient=user.email,
        data={
            "template": "reconnect-needed",
            "language": user.mail_language(connection.company),
            "connection_id": connection.pk,
            "context": {
                "user": {"name": user.name, "email": user.email},
                "connection": {"account_id": connection.account_id},
                "link": absolute_url("/integrations/"),
            },
        },
    )


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

    Google failing to answer does not keep the tokens: the host asked us to forget them.
    """
    if not connection.is_active:
        return connection
    problems = []
    with provider_for(connection) as provider:
        stop = getattr(provider, "stop_channel", None)
        for calendar in connection.calendars.exclude(channel_id=""):
            if stop is None:
                break
            try:
                stop(channel_id=calendar.channel_id, resource_id=calendar.channel_resource_id)
            except ProviderError as exc:
                problems.append(str(exc))
        revoke = getattr(provider, "revoke", None)
        if revoke is not None:
            try:
                revoke()
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
