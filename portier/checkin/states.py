"""The state of a guest's visit, as the front desk, the API and the visitor log show it."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portier.checkin.models import Visit

EXPECTED = "expected"
CHECKED_IN = "checked_in"
CHECKED_OUT = "checked_out"
LEFT = "left_without_checkout"
CANCELLED = "cancelled"
HELD = "held"
DECLINED = "declined"

LABELS = {
    EXPECTED: _("expected"),
    CHECKED_IN: _("checked in"),
    CHECKED_OUT: _("checked out"),
    LEFT: _("left without check-out"),
    CANCELLED: _("cancelled"),
    HELD: _("held"),
    DECLINED: _("declined"),
}


def visit_of(guest) -> Visit | None:
    try:
        return guest.visit
    except Visit.DoesNotExist:
        return None


def visit_state(guest) -> str:
    """One word for where the guest is: checked in/out wins over the appointment's state."""
    visit = visit_of(guest)
    if visit is not None:
        if visit.checked_out_at is not None:
            return CHECKED_OUT
        return LEFT if visit.left_without_checkout else CHECKED_IN
    appointment = guest.appointment
    if appointment.is_cancelled:
        return CANCELLED
    if appointment.is_held:
        return HELD
    if guest.declined_at is not None:
        return DECLINED
    return EXPECTED


def label(state: str) -> str:
    return str(LABELS[state])


def never_checked_out(location, *, now=None):
    """Guests still on the books as on site after the end of the location's day: those who
    checked in before today, and today's once the day has ended (`Location.day_ends_at`)."""
    now = now or timezone.now()
    local = timezone.localtime(now, location.zone)
    start_of_today = local.replace(hour=0, minute=0, second=0, microsecond=0)
    end_of_day = local.replace(
        hour=location.day_ends_at.hour,
        minute=location.day_ends_at.minute,
        second=0,
        microsecond=0,
    )
    cutoff = end_of_day if local >= end_of_day else start_of_today
    return Visit.objects.on_site(location).filter(checked_in_at__lt=cutoff)
