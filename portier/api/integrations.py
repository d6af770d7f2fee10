from datetime import datetime

from ninja import Router, Schema

from portier.integrations.models import Connection

router = Router(tags=["integrations"])


class CalendarOut(Schema):
    id: int
    remote_id: str
    name: str
    time_zone: str
    is_primary: bool
    selected: bool
    status: str
    last_error: str
    synced_at: datetime | None
    push_channel: bool


class ConnectionOut(Schema):
    """What a host may see of a connection. Tokens never leave the database."""

    id: int
    provider: str
    account_id: str
    status: str
    last_error: str
    location_id: int
    connected_at: datetime | None
    disconnected_at: datetime | None
    last_synced_at: datetime | None
    calendars: list[CalendarOut]


def _out(connection: Connection) -> dict:
    return {
        "id": connection.pk,
        "provider": connection.provider,
        "account_id": connection.account_id,
        "status": connection.status,
        "last_error": connection.last_error,
        "location_id": connection.location_id,
        "connected_at": connection.connected_at,
        "disconnected_at": connection.disconnected_at,
        "last_synced_at": connection.last_synced_at,
        "calendars": [
            {
                "id": c.pk,
                "remote_id": c.remote_id,
                "name": c.name,
                "time_zone": c.time_zone,
                "is_primary": c.is_primary,
                "selected": c.selected,
                "status": c.status,
                "last_error": c.last_error,
                "synced_at": c.synced_at,
                "push_channel": c.has_channel,
            }
            for c in connection.calendars.all()
        ],
    }


@router.get("", response=list[ConnectionOut])
def list_integrations(request):
    connections = Connection.objects.for_user(request.user).prefetch_related("calendars")
    return [_out(c) for c in connections]
