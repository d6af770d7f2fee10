"""Dates and times in words: one format per kind (date, time, date and time, range) and per
language, for pages, e-mails, the sync log and the sandbox alike. The formats themselves live
in portier/formats/<language>/formats.py, so Django's `|date:"DATE_FORMAT"` (and the SHORT_
forms) give the same text. The API speaks ISO 8601 and does not use this.

Pass values already in the zone they should be read in (`value.astimezone(zone)`); dates
(without time) are taken as they are. Call inside the reader's language.
"""

import datetime as dt

from django.utils import formats, timezone
from django.utils.timesince import timesince
from django.utils.translation import gettext as _


def date(value: dt.date) -> str:
    """'Mon, 30 Nov 2026' / 'Mo, 30. Nov 2026'."""
    return formats.date_format(value, "DATE_FORMAT")


def day_in_month(value: dt.date) -> str:
    """A date of this year, without the year: 'Mon, 30 Nov' / 'Mo, 30. Nov'."""
    return formats.date_format(value, "MONTH_DAY_FORMAT")


def time(value: dt.datetime | dt.time) -> str:
    """'09:00': hours and minutes always, on the hour too."""
    return formats.time_format(value, "TIME_FORMAT")


def date_time(value: dt.datetime) -> str:
    """'Mon, 30 Nov 2026, 09:00'."""
    return formats.date_format(value, "DATETIME_FORMAT")


def time_range(start: dt.datetime, end: dt.datetime) -> str:
    """'Mon, 30 Nov 2026, 09:00–10:30'; across midnight both ends in full."""
    if start.date() == end.date():
        return f"{date_time(start)}–{time(end)}"
    return f"{date_time(start)} – {date_time(end)}"


def date_range(first: dt.date, last: dt.date) -> str:
    """Whole days, both included: 'Mon, 30 Nov 2026' or 'Mon, 30 Nov 2026 – Wed, 2 Dec 2026'."""
    if last <= first:
        return date(first)
    return f"{date(first)} – {date(last)}"


def ago(value: dt.datetime, now: dt.datetime | None = None) -> str:
    """How long ago, for a person: 'just now' under a minute, else '5 minutes ago'."""
    now = now or timezone.now()
    if (now - value).total_seconds() < 60:
        return _("just now")
    return _("%(time)s ago") % {"time": timesince(value, now, depth=1)}
