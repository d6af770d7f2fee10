"""The .ics a guest can add to their calendar: its own UID per guest (never the host's event's),
SEQUENCE from the appointment version, METHOD:REQUEST or METHOD:CANCEL."""

import hashlib
from datetime import UTC, date, datetime
from urllib.parse import urlsplit

import icalendar
import recurring_ical_events
from django.conf import settings
from django.utils import timezone

PRODID = "-//Portier//Visitor management//EN"


def _domain() -> str:
    return urlsplit(settings.PORTIER_BASE_URL).hostname or "portier.invalid"


def _email_hash(email: str) -> str:
    return hashlib.sha256(email.lower().encode()).hexdigest()[:16]


def appointment_uid(appointment_id, email: str) -> str:
    return f"portier-a{appointment_id}-{_email_hash(email)}@{_domain()}"


def series_uid(series_id, email: str) -> str:
    return f"portier-s{series_id}-{_email_hash(email)}@{_domain()}"


def _calendar(method: str) -> icalendar.Calendar:
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("method", method)
    return cal


def _times(event: icalendar.Event, fp: dict, zone) -> None:
    if fp["all_day"] and fp.get("start_date"):
        event.add("dtstart", date.fromisoformat(fp["start_date"]))
        event.add("dtend", date.fromisoformat(fp["end_date"] or fp["start_date"]))
    else:
        event.add("dtstart", datetime.fromisoformat(fp["starts_at"]).astimezone(zone))
        event.add("dtend", datetime.fromisoformat(fp["ends_at"]).astimezone(zone))


def _recurrence_id(event: icalendar.Event, original: dict, zone) -> None:
    if original["all_day"] and original.get("start_date"):
        event.add("recurrence-id", date.fromisoformat(original["start_date"]))
    else:
        event.add("recurrence-id", datetime.fromisoformat(original["starts_at"]).astimezone(zone))


def _event(
    *, uid, sequence, fp, zone, host, guest_email, guest_name, url, cancelled, stamp=None
) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("sequence", sequence)
    # The outbox row's time, not now: a repeated attempt is the same e-mail, byte for byte.
    event.add("dtstamp", stamp or timezone.now())
    _times(event, fp, zone)
    event.add("summary", fp["title"])
    address = ", ".join(
        line.strip() for line in fp["location_address"].splitlines() if line.strip()
    )
    room = " ".join((fp.get("location_text") or "").split())[:200]
    event.add("location", ", ".join(filter(None, [fp["location_name"], room, address])))
    event.add("description", url)
    event.add("url", url)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    organizer = icalendar.vCalAddress(f"mailto:{host.email}")
    organizer.params["CN"] = icalendar.vText(host.name or host.email)
    event.add("organizer", organizer)
    attendee = icalendar.vCalAddress(f"mailto:{guest_email}")
    if guest_name:
        attendee.params["CN"] = icalendar.vText(guest_name)
    attendee.params["ROLE"] = icalendar.vText("REQ-PARTICIPANT")
    attendee.params["RSVP"] = icalendar.vText("FALSE")
    event.add("attendee", attendee)
    return event


def _finish(cal: icalendar.Calendar) -> bytes:
    cal.add_missing_timezones()
    return cal.to_ical()


def for_appointment(*, appointment, fp, email, name, url, cancel: bool, stamp=None) -> bytes:
    cal = _calendar("CANCEL" if cancel else "REQUEST")
    cal.add_component(
        _event(
            uid=appointment_uid(appointment.pk, email),
            sequence=appointment.version,
            fp=fp,
            zone=appointment.location.zone,
            host=appointment.host,
            guest_email=email,
            guest_name=name,
            url=url,
            cancelled=cancel,
            stamp=stamp,
        )
    )
    return _finish(cal)


def for_occurrences(*, series_id, dates, email, name, url, cancel: bool, stamp=None) -> bytes:
    """Dates of a series, each (appointment, fingerprint, original fingerprint): the series'
    UID with RECURRENCE-ID = the date's original start, as calendars expect for exceptions."""
    cal = _calendar("CANCEL" if cancel else "REQUEST")
    for appointment, fp, original in dates:
        zone = appointment.location.zone
        event = _event(
            uid=series_uid(series_id, email),
            sequence=appointment.version,
            fp=fp,
            zone=zone,
            host=appointment.host,
            guest_email=email,
            guest_name=name,
            url=url,
            cancelled=cancel,
            stamp=stamp,
        )
        _recurrence_id(event, original or fp, zone)
        cal.add_component(event)
    return _finish(cal)


def _rrules(rule: str) -> list:
    found = []
    for line in rule.splitlines():
        name, _sep, value = line.strip().partition(":")
        if name.upper() == "RRULE" and value:
            try:
                found.append(icalendar.vRecur.from_ical(value))
            except ValueError:
                return []
    return found


def for_series(
    *,
    series,
    first,
    occurrences,
    email,
    name,
    url,
    cancel,
    stamp=None,
    dates=None,
    sequence=0,
    unknown=None,
    listed_until=None,
) -> bytes:
    """The whole series: `first` (an appointment) anchors it; the calendar's RRULE when it
    parses (with `dates`, an invitation: as the guest's dates are now), else the known dates
    (appointments) as RDATE. `sequence`: series invitations sent before (one sent again
    replaces the whole series in the guest's calendar: dates were added). `listed_until`: up to
    when every date of the series is known (None: unsure); the rule's dates before it that are
    not known are excluded and added to `unknown`, a list (UTC)."""
    cal = _calendar("CANCEL" if cancel else "REQUEST")
    zone = first.location.zone
    event = _event(
        uid=series_uid(series.pk, email),
        sequence=max(sequence, 1) if cancel else sequence,
        fp=first.fingerprint,
        zone=zone,
        host=first.host,
        guest_email=email,
        guest_name=name,
        url=url,
        cancelled=cancel,
        stamp=stamp,
    )
    rrules = _rrules(series.rule)
    if rrules and not cancel and dates is not None:
        found = _rule_with_dates(cal, event, rrules, first, occurrences, dates, zone, listed_until)
        if unknown is not None:
            unknown.extend(found)
        return _finish(cal)
    for rrule in rrules:
        event.add("rrule", rrule)
    if not rrules:
        for occurrence in occurrences:
            if occurrence.pk != first.pk:
                event.add("rdate", occurrence.starts_at.astimezone(zone))
    cal.add_component(event)
    return _finish(cal)


def _start(fp: dict, zone):
    if fp["all_day"] and fp.get("start_date"):
        return date.fromisoformat(fp["start_date"])
    return datetime.fromisoformat(fp["starts_at"]).astimezone(zone)


def _rule_with_dates(cal, event, rrules, first, occurrences, dates, zone, listed_until) -> list:
    """The rule as the guest's dates are now: anchored at the first date's rule time (a COUNT
    less the known dates before it: it counts from the series' own start), the dates not
    theirs any more and the rule's dates not known excluded, the moved ones as exceptions.
    `dates`: {appointment pk: original fingerprint} of every date of the series known so far.
    Returns the unknown dates it excluded."""
    anchor = dates.get(first.pk) or first.fingerprint
    del event["dtstart"], event["dtend"]
    _times(event, {**first.fingerprint, **{k: anchor[k] for k in _TIME_KEYS}}, zone)
    first_start = _start(anchor, zone)
    before = sum(
        1
        for fp in dates.values()
        if type(_start(fp, zone)) is type(first_start) and _start(fp, zone) < first_start
    )
    for rrule in rrules:
        if "COUNT" in rrule and before:  # the dates before the anchor are counted already
            rrule = icalendar.vRecur(rrule)
            rrule["COUNT"] = [max(int(rrule["COUNT"][0]) - before, 1)]
        event.add("rrule", rrule)
    mine = {o.pk for o in occurrences}
    for pk, fp in sorted(dates.items(), key=lambda item: str(_start(item[1], zone))):
        start = _start(fp, zone)
        if pk not in mine and type(start) is type(first_start) and start > first_start:
            event.add("exdate", start)
    unknown = _unknown_dates(event, dates, zone, listed_until) if listed_until else []
    for start in unknown:
        event.add("exdate", start)
    cal.add_component(event)
    for occurrence in occurrences:
        original = dates.get(occurrence.pk) or occurrence.fingerprint
        if any(original.get(k) != occurrence.fingerprint.get(k) for k in _TIME_KEYS):
            moved = _event(
                uid=event["uid"],
                sequence=int(event["sequence"]),
                fp=occurrence.fingerprint,
                zone=zone,
                host=occurrence.host,
                guest_email=event["attendee"].removeprefix("mailto:"),
                guest_name=event["attendee"].params.get("CN", ""),
                url=str(event["url"]),
                cancelled=False,
                stamp=event["dtstamp"].dt,
            )
            _recurrence_id(moved, original, zone)
            cal.add_component(moved)
    return [start.astimezone(UTC) for start in unknown]


def _unknown_dates(event, dates, zone, until) -> list:
    """The rule's dates up to `until` (the horizon of a complete listing of the calendar) that
    no known date has as its rule time: cancelled before Portier first listed the series (a
    listing shows no cancelled dates). All-day series are left as the rule says."""
    start = event["dtstart"].dt
    if not isinstance(start, datetime):
        return []
    known = {_start(fp, zone) for fp in dates.values()}
    calendar = icalendar.Calendar()
    calendar.add_component(event)
    found = []
    for occurrence in recurring_ical_events.of(calendar).between(start, until):
        when = occurrence["dtstart"].dt
        if isinstance(when, datetime) and when not in known:
            found.append(when)
    return found


_TIME_KEYS = ("starts_at", "ends_at", "all_day", "start_date", "end_date")
