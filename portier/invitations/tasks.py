"""Tasks queued under their old names (before the outbox became its own app): a worker of
this version still runs them, so nothing queued before an upgrade is dropped as unknown. Not
periodic: the outbox's own `sweep_outbox` is the one the scheduler runs."""

from huey.contrib.djhuey import db_task

from portier.outbox import delivery


@db_task()
def deliver_outbox() -> None:
    delivery.deliver_due()


@db_task()
def sweep_outbox() -> None:
    delivery.release_stuck()
    delivery.deliver_due()
