"""E-mails of the check-in app to hosts, through the outbox. The arrival notice: the host (and
the appointment's creator, if someone else) learns that a guest has arrived, one row per
recipient and check-in. The decline notice is written by `registration`. This module plans both
at send time (registered in apps.py)."""

from django.utils import timezone

from portier.checkin.models import Visit
from portier.lib import dates
from portier.outbox import notices
from portier.outbox.registry import Message, Skip
from portier.visits.models import Guest

ARRIVAL_MAIL = "guest-arrived"
HOST_ARRIVAL = "host-arrival"
HOST_GUEST_DECLINED = "host-declined"


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
        notices.write(
            kind=HOST_ARRIVAL,
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


def plan_arrival(row) -> Message | Skip:
    visit = Visit.objects.filter(pk=row.data.get("visit_id")).select_related("guest").first()
    if visit is None or visit.guest.erased_at is not None:
        return Skip(
            "the check-in was undone (or the guest's data erased) before the e-mail went out"
        )
    return notices.message(row)


def plan_declined(row) -> Message | Skip:
    guest = Guest.objects.filter(pk=row.data.get("guest_id")).first()
    if guest is None or guest.declined_at is None or guest.erased_at is not None:
        return Skip("the guest no longer declines the visit")
    return notices.message(row)
