"""Words for a guest: when, how long, where, what changed, how often. Call inside
translation.override(language); times are shown in the location's time zone, named."""

import zoneinfo
from datetime import date, datetime, timedelta
from urllib.parse import quote_plus

import icalendar
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portier.lib import dates

TEXT_MAX = 300
DESCRIPTION_MAX = 2000
_ICAL_DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def clip(value: str, limit: int = TEXT_MAX) -> str:
    """Outside text, one line, bounded: safe for a subject and for a layout."""
    value = " ".join((value or "").split())
    return value if len(value) <= limit else value[: limit - 1] + "…"


def day(value: date) -> str:
    return dates.date(value)


def zone_of(fp: dict, fallback: zoneinfo.ZoneInfo) -> zoneinfo.ZoneInfo:
    from portier.locations.models import Location

    location = Location.objects.filter(pk=fp.get("location_id")).only("time_zone").first()
    return location.zone if location else fallback


def when(fp: dict, zone: zoneinfo.ZoneInfo) -> str:
    if fp["all_day"] and fp.get("start_date"):
        first = date.fromisoformat(fp["start_date"])
        last = date.fromisoformat(fp["end_date"] or fp["start_date"]) - timedelta(days=1)
        return _("%(date)s (all day)") % {"date": dates.date_range(first, last)}
    start = datetime.fromisoformat(fp["starts_at"]).astimezone(zone)
    end = datetime.fromisoformat(fp["ends_at"]).astimezone(zone)
    return f"{dates.time_range(start, end)} ({zone.key}, {start.tzname()})"


def duration(fp: dict) -> str:
    if fp["all_day"] and fp.get("start_date"):
        days = (
            date.fromisoformat(fp["end_date"] or fp["start_date"])
            - date.fromisoformat(fp["start_date"])
        ).days or 1
        return ngettext("%(n)d day", "%(n)d days", days) % {"n": days}
    minutes = int(
        (
            datetime.fromisoformat(fp["ends_at"]) - datetime.fromisoformat(fp["starts_at"])
        ).total_seconds()
        // 60
    )
    hours, minutes = divmod(max(minutes, 0), 60)
    parts = []
    if hours:
        parts.append(ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours})
    if minutes or not hours:
        parts.append(ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes})
    return " ".join(parts)


def place(fp: dict) -> dict:
    lines = [clip(line, 200) for line in fp["location_address"].splitlines() if line.strip()]
    room = fp.get("location_text") or ""
    query = ", ".join(lines) or fp["location_name"]
    return {
        "name": clip(fp["location_name"], 200),
        "room": clip(room, 200),  # as the host typed it next to the code: "Raum 4.12"
        "address_lines": lines[:6],
        "one_line": ", ".join(
            [clip(fp["location_name"], 200), *filter(None, [clip(room, 200)]), *lines]
        ),
        "map_url": "https://www.openstreetmap.org/search?query=" + quote_plus(query),
    }


TIME_KEYS = ("starts_at", "ends_at", "all_day", "start_date", "end_date")
PLACE_KEYS = ("location_id", "location_name", "location_address", "location_text")


def changes(before: dict, after: dict, *, zone_before, zone_after, keys=None) -> list[dict]:
    """What a guest should read about a change: label, old, new (guests are not a change)."""
    differ = {k for k in after if k != "guests" and before.get(k) != after.get(k)}
    if keys is not None:
        differ &= set(keys)
    found = []
    if differ & set(TIME_KEYS) or (differ & {"location_id"} and zone_before != zone_after):
        found.append(
            {
                "label": _("Time"),
                "old": when(before, zone_before),
                "new": when(after, zone_after),
            }
        )
    if "title" in differ:
        found.append(
            {"label": _("Title"), "old": clip(before["title"]), "new": clip(after["title"])}
        )
    if differ & set(PLACE_KEYS):
        old, new = place(before), place(after)
        found.append(
            {
                "label": _("Place"),
                "old": old["one_line"] or old["name"],
                "new": new["one_line"] or new["name"],
            }
        )
    if "description" in differ:
        found.append(
            {
                "label": _("Description"),
                "old": clip(before.get("description", ""), 500) or "—",
                "new": clip(after.get("description", ""), 500) or "—",
            }
        )
    return found


def rule_in_words(rule: str) -> str:
    """'every week on Monday', 'every 2 days, 10 times'… ('' when the rule is unusual)."""
    for line in (rule or "").splitlines():
        name, _sep, value = line.strip().partition(":")
        if name.upper() != "RRULE":
            continue
        try:
            recur = icalendar.vRecur.from_ical(value)
        except ValueError:
            return ""
        return _describe(recur)
    return ""


def _describe(recur) -> str:
    freq = (recur.get("FREQ") or [""])[0]
    n = int((recur.get("INTERVAL") or [1])[0])
    every = {
        "DAILY": ngettext("every day", "every %(n)d days", n),
        "WEEKLY": ngettext("every week", "every %(n)d weeks", n),
        "MONTHLY": ngettext("every month", "every %(n)d months", n),
        "YEARLY": ngettext("every year", "every %(n)d years", n),
    }.get(freq)
    if every is None:
        return ""
    words = [every % {"n": n}]
    days = [str(d)[-2:].upper() for d in recur.get("BYDAY") or []]
    names = [str(WEEKDAYS[_ICAL_DAYS.index(d)]) for d in days if d in _ICAL_DAYS]
    if names and freq == "WEEKLY":
        words[0] = _("%(every)s on %(days)s") % {"every": words[0], "days": ", ".join(names)}
    if recur.get("COUNT"):
        count = int(recur["COUNT"][0])
        words.append(ngettext("%(n)d time", "%(n)d times", count) % {"n": count})
    if recur.get("UNTIL"):
        until = recur["UNTIL"][0]
        words.append(_("until %(date)s") % {"date": day(until)})
    return ", ".join(words)
