"""Background work of the outbox: thin wrappers around delivery.

Huey names a task by module and function: before the outbox became its own app these were
`portier.invitations.tasks.*`; that module keeps forwarders, so a task queued by an older
version before an upgrade still runs (instead of being dropped as unknown).
"""

from datetime import timedelta

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, on_startup

from portier.outbox import delivery

SWEEP_EVERY = timedelta(minutes=1)


@db_task()
def deliver_outbox() -> None:
    """Enqueued after a commit that wrote outbox rows."""
    follow_up(delivery.deliver_due())


@db_periodic_task(crontab(minute="*"))
def sweep_outbox() -> None:
    """Every minute: take back rows of dead workers, send whatever is due (retries, lost
    tasks)."""
    follow_up(delivery.deliver_due())


def follow_up(report: delivery.Report) -> None:
    """A retry due before the next sweep gets a run of its own (the first retries come within
    seconds). Runs that retried nothing schedule nothing, so follow-ups never multiply."""
    if report.next_attempt is None:
        return
    wait = report.next_attempt - timezone.now()
    if wait < SWEEP_EVERY:
        deliver_outbox.schedule(delay=max(wait.total_seconds(), 0))


@on_startup()
def deliver_after_a_restart() -> None:
    """A worker that starts (perhaps after one was killed): send what is due now, and what a
    dead worker held once its lease has run out, instead of waiting for the sweep."""
    deliver_outbox()
    deliver_outbox.schedule(delay=delivery.LEASE.total_seconds() + 1)
