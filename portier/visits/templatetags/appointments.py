"""{% load appointments %}: an appointment's time as its location sees it."""

from datetime import timedelta

from django import template
from django.utils import dateformat
from django.utils.translation import gettext as _

register = template.Library()


def _day(value) -> str:
    # Translators: a short date in Django date() format, e.g. "Tue, 1 Dec 2026"
    return dateformat.format(value, _("D, j M Y"))


@register.filter
def when(appointment) -> str:
    """All-day: its dates. Timed: start and end at the location, with the zone's name."""
    if appointment.all_day and appointment.start_date:
        first = appointment.start_date
        last = (appointment.end_date or first) - timedelta(days=1)
        if last <= first:
            return _("%(date)s (all day)") % {"date": _day(first)}
        return _("%(first)s to %(last)s (all day)") % {"first": _day(first), "last": _day(last)}
    zone = appointment.location.zone
    start, end = appointment.starts_at.astimezone(zone), appointment.ends_at.astimezone(zone)
    if start.date() == end.date():
        return f"{_day(start)}, {start:%H:%M}–{end:%H:%M} {start.tzname()}"
    return f"{_day(start)}, {start:%H:%M} – {_day(end)}, {end:%H:%M} {end.tzname()}"


@register.filter
def local_time(appointment) -> str:
    """Just the time of day at the location (all-day: a word)."""
    if appointment.all_day:
        return _("all day")
    zone = appointment.location.zone
    start, end = appointment.starts_at.astimezone(zone), appointment.ends_at.astimezone(zone)
    return f"{start:%H:%M}–{end:%H:%M}"
