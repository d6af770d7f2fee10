"""What the engine relies on in a parsed event, checked by every source's parser fuzz test."""

from datetime import UTC, date, datetime, timedelta

from portier.sources.base import Attendee, EventTime, RemoteEvent

DAY = timedelta(days=1)


def check_time(value):
    assert value is None or isinstance(value, EventTime)
    if value is not None:
        assert isinstance(value.time_zone, str)
        assert (value.at is None) != (value.day is None)
        if value.at is not None:
            assert isinstance(value.at, datetime) and value.at.tzinfo is not None
            (value.at + DAY).astimezone(UTC) - DAY  # the engine's arithmetic must not overflow
        else:
            assert isinstance(value.day, date) and not isinstance(value.day, datetime)
            value.day + DAY


def check(event):
    assert isinstance(event, RemoteEvent)
    assert isinstance(event.remote_id, str) and isinstance(event.title, str)
    if event.problem:
        assert isinstance(event.problem, str) and event.problem.startswith("unreadable")
        return
    for name in ("status", "ical_uid", "series_id", "title", "location", "organizer", "creator"):
        assert isinstance(getattr(event, name), str), name
    assert event.remote_id
    assert event.status == "cancelled" or event.start is not None, "the engine places by start"
    assert isinstance(event.html_link, str)
    assert all(isinstance(r, str) for r in event.recurrence)
    for attendee in event.attendees:
        assert isinstance(attendee, Attendee)
        assert isinstance(attendee.email, str) and attendee.email
        assert isinstance(attendee.name, str) and isinstance(attendee.response_status, str)
    for when in (event.start, event.end, event.original_start):
        check_time(when)
    assert event.updated is None or event.updated.tzinfo is not None
