"""{% load appointments %}: an appointment's time as its location sees it."""

from datetime import timedelta

from django import template
from django.utils.translation import gettext as _

from portier.lib import dates

register = template.Library()


@register.filter
def when(appointment) -> str:
    """All-day: its dates. Timed: start and end at the location, with the zone's name."""
    if appointment.all_day and appointment.start_date:
        first = appointment.start_date
        last = (appointment.end_date or first) - timedelta(days=1)
        return _("%(date)s (all day)") % {"date": dates.date_range(first, last)}
    zone = appointment.location.zone
    start, end = appointment.starts_at.astimezone(zone), appointment.ends_at.astimezone(zone)
    return f"{dates.time_range(start, end)} {end.tzname()}"


@register.filter
def local_time(appointment) -> str:
    """Just the time of day at the location (all-day: a word)."""
    if appointment.all_day:
        return _("all day")
    zone = appointment.location.zone
    start, end = appointment.starts_at.astimezone(zone), appointment.ends_at.astimezone(zone)
    return f"{dates.time(start)}–{dates.time(end)}"
