"""The "reconnect needed" e-mail to the owner of a calendar connection, through the outbox."""

from portier.integrations.models import Connection, Status
from portier.lib.mail import absolute_url
from portier.outbox import notices
from portier.outbox.registry import Message, Skip
from portier.sources import registry

HOST_RECONNECT = "host-reconnect"


def reconnect_needed(connection: Connection) -> None:
    user = connection.user
    notices.write(
        kind=HOST_RECONNECT,
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
                # Rows written before this key was added default to Google in the template.
                "source": registry.display_name(connection.provider),
                "link": absolute_url("/integrations/"),
            },
        },
    )


def plan_reconnect(row) -> Message | Skip:
    """The outbox's planner for HOST_RECONNECT (registered in apps.py)."""
    connection = Connection.objects.filter(pk=row.data.get("connection_id")).first()
    if connection is None or connection.status != Status.NEEDS_RECONNECT:
        return Skip("the calendar was reconnected before the e-mail went out")
    return notices.message(row)
