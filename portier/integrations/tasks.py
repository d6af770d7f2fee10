"""Background work of the integrations app: thin wrappers around services."""

from huey.contrib.djhuey import db_task

from portier.integrations.models import Connection, Status
from portier.lib.mail import absolute_url, send_template_mail


@db_task(retries=5, retry_delay=60)
def notify_reconnect_needed(connection_id: int) -> None:
    # Re-read: the host may have reconnected since the grant was lost.
    connection = Connection.objects.select_related("user", "company").get(pk=connection_id)
    if connection.status != Status.NEEDS_RECONNECT:
        return
    user = connection.user
    context = {
        "user": user,
        "connection": connection,
        "link": absolute_url("/integrations/"),
    }
    send_template_mail(
        "reconnect-needed", user.email, context, user.language or connection.company.language
    )
