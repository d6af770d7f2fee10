"""Background work of the invitations app: thin wrappers around delivery."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from portier.invitations import delivery


@db_task()
def deliver_outbox() -> None:
    """Enqueued after a commit that wrote outbox rows."""
    delivery.deliver_due()


@db_periodic_task(crontab(minute="*"))
def sweep_outbox() -> None:
    """Every minute: release rows of dead workers, send whatever is due (retries, lost tasks)."""
    delivery.release_stuck()
    delivery.deliver_due()
