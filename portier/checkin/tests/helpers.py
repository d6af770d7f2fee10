"""Guests to check in: an appointment at a known local time, made through the visits services."""

from portier.visits.services import GuestInfo
from portier.visits.tests.helpers import appointment, at

__all__ = ["at", "visit_guest"]


def visit_guest(host, location, *, start=None, minutes=60, name="Ana Lima", **fields):
    """The one guest of a new appointment (default: in two days, 10:00–11:00 in Berlin)."""
    start = start or at(days=2, hour=10)
    made = appointment(
        host,
        location,
        title="Quarterly review",
        start=start,
        minutes=minutes,
        guests=[GuestInfo("ana@initech.example", name)],
        **fields,
    )
    guest = made.guests.get()
    return guest
