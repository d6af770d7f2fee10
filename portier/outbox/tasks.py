"""Background work of the outbox: thin wrappers around delivery.

Huey names a task by module and function: before the outbox became its own app these were
`portier.invitations.tasks.*`; that module keeps forwarders, so a task queued by an older
version before an upgrade still runs (instead of being dropped as unknown).
"""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from portier.outbox import delivery


@db_task()
def deliver_outbox() -> None:
    """Enqueued after a commit that wrote outbox rows."""
    delivery.deliver_due()


@db_periodic_task(crontab(minute="*"))
def sweep_outbox() -> None:
    """Every minute: release rows of dead workers, send whatever is due (retries, lost tasks)."""
    delivery.release_stuck()
    delivery.deliver_due()
