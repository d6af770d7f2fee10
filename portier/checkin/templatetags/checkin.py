"""{% load checkin %}: visit states and times at the location."""

from django import template

from portier.checkin import states
from portier.lib import dates

register = template.Library()


@register.filter
def visit_state_label(state: str) -> str:
    return states.label(state)


@register.filter
def at_location(value, location) -> str:
    """The time of day of `value` by the location's clock (HH:MM)."""
    if not value:
        return ""
    return dates.time(value.astimezone(location.zone))


@register.filter
def day_at_location(value, location):
    """The date of `value` by the location's clock (format it with |date)."""
    if not value:
        return None
    return value.astimezone(location.zone).date()
