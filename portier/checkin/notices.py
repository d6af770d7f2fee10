"""The arrival notice: the host (and the appointment's creator, if someone else) learns by
e-mail, through the outbox, that a guest has arrived. One row per recipient and check-in."""

from django.utils import timezone

from portier.invitations import host_notices
from portier.invitations.models import Kind
from portier.lib import dates

ARRIVAL_MAIL = "guest-arrived"


def arrival_recipients(appointment, *, checked_in_by=None) -> list:
    """The host, and whoever created the appointment in Portier when that is someone else and
    not the person who just checked the guest in (they know)."""
    recipients = [appointment.host]
    creator = appointment.created_by
    if (
        creator is not None
        and creator.pk != appointment.host_id
        and (checked_in_by is None or creator.pk != checked_in_by.pk)
    ):
        recipients.append(creator)
    return [user for user in recipients if user.is_active]


def arrival_key(visit, user) -> str:
    return f"arrival:{visit.guest_id}:{user.pk}"


def arrival(visit, *, checked_in_by=None) -> None:
    """Queue the arrival e-mails of a new check-in (inside its transaction)."""
    guest = visit.guest
    appointment = guest.appointment
    location = visit.location
    local = timezone.localtime(visit.checked_in_at, location.zone)
    for user in arrival_recipients(appointment, checked_in_by=checked_in_by):
        host_notices.write(
            kind=Kind.HOST_ARRIVAL,
            key=arrival_key(visit, user),
            company=appointment.company,
            recipient=user.email,
            appointment=appointment,
            guest=guest,
            data={
                "template": ARRIVAL_MAIL,
                "language": user.mail_language(appointment.company),
                "visit_id": visit.pk,
                "context": {
                    "guest_name": guest.name or guest.email,
                    "guest_company": guest.company_name,
                    "guest_email": guest.email,
                    "location_name": location.name,
                    "time": dates.time(local),
                    "time_zone": location.time_zone,
                    "title": appointment.title,
                    "recipient_name": user.name or user.email,
                    "is_host": user.pk == appointment.host_id,
                    "host_name": appointment.host.name or appointment.host.email,
                    "company": appointment.company.name,
                },
            },
        )
