"""{% load dates %}: the filters of portier.lib.dates for templates.

`|date:"DATE_FORMAT"`, `"TIME_FORMAT"`, `"DATETIME_FORMAT"` give the same one format per kind;
these add what Django's filters cannot say."""

from django import template
from django.utils import timezone

from portier.lib import dates

register = template.Library()


@register.filter
def ago(value) -> str:
    """'just now', '5 minutes ago'."""
    return dates.ago(value) if value else ""


@register.filter
def time_range(start, end) -> str:
    """Start and end in the current time zone: 'Mon, 30 Nov 2026, 09:00–10:30'."""
    if not start or not end:
        return ""
    return dates.time_range(timezone.localtime(start), timezone.localtime(end))
