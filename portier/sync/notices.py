"""E-mails the sync sends to hosts (not guests), through the outbox."""

from portier.locations.placement import INVALID_CODE_MAIL, invalid_code_mail_context
from portier.outbox import notices
from portier.outbox.registry import Message, Skip
from portier.sources.base import RemoteEvent
from portier.visits.models import Appointment

HOST_INVALID_CODE = "host-invalid-code"


def invalid_code(*, calendar, appointment: Appointment, event: RemoteEvent) -> None:
    """One e-mail to the host per event (a series counts once) and wrong code."""
    host = appointment.host
    start = appointment.start_date if appointment.all_day else appointment.starts_at
    assert start is not None, "an all-day appointment has a start date"
    context = invalid_code_mail_context(
        appointment.company,
        host,
        appointment.title,
        start,
        appointment.held_code,
        time_zone=appointment.time_zone or None,
    )
    notices.write(
        kind=HOST_INVALID_CODE,
        key=f"invalid-code:{appointment.company_id}:{appointment.ical_uid}:{appointment.held_code}",
        company=appointment.company,
        recipient=host.email,
        appointment=appointment,
        data={
            "template": INVALID_CODE_MAIL,
            "language": context["language"],
            "context": context,
            "code": appointment.held_code,
        },
    )


def plan_invalid_code(row) -> Message | Skip:
    """The outbox's planner for HOST_INVALID_CODE (registered in apps.py)."""
    appointment = row.appointment
    if appointment is None or appointment.held_code != row.data.get("code"):
        return Skip("the location code was corrected before the e-mail went out")
    return notices.message(row)
