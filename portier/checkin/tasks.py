"""Background work of the checkin app."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from portier.checkin import retention


@db_periodic_task(crontab(minute="17", hour="3"))
def erase_expired_guests() -> None:
    """Daily: erase guests' personal data past their location's retention (audit rows)."""
    retention.erase_due()
