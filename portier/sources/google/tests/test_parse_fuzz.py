"""Fuzzing Google's event JSON: whatever a calendar hands us, the parser returns a RemoteEvent
whose fields have the types the engine relies on, or one that carries a problem. It never raises.
"""

from datetime import UTC, date, datetime

from hypothesis import given, settings

from portier.sources.base import Attendee, EventTime, RemoteEvent
from portier.sources.google.parse import parse_event_safely
from portier.sources.google.tests.strategies import EVENT, JSON, ZONES

EXAMPLES = 400


def check_time(value):
    assert value is None or isinstance(value, EventTime)
    if value is not None:
        assert isinstance(value.time_zone, str)
        assert (value.at is None) != (value.day is None)
        if value.at is not None:
            assert isinstance(value.at, datetime) and value.at.tzinfo is not None
            value.at.timestamp()  # the engine compares instants: it must be a real one
        else:
            assert isinstance(value.day, date) and not isinstance(value.day, datetime)


def check(event):
    assert isinstance(event, RemoteEvent)
    assert isinstance(event.remote_id, str) and isinstance(event.title, str)
    if event.problem:
        assert isinstance(event.problem, str) and event.problem.startswith("unreadable")
        return
    for name in ("status", "ical_uid", "series_id", "title", "location", "organizer", "creator"):
        assert isinstance(getattr(event, name), str), name
    assert event.remote_id
    assert isinstance(event.html_link, str)
    assert all(isinstance(r, str) for r in event.recurrence)
    for attendee in event.attendees:
        assert isinstance(attendee, Attendee)
        assert isinstance(attendee.email, str) and attendee.email
        assert isinstance(attendee.name, str) and isinstance(attendee.response_status, str)
    for when in (event.start, event.end, event.original_start):
        check_time(when)
    assert event.updated is None or event.updated.tzinfo is not None


@settings(max_examples=EXAMPLES, deadline=None)
@given(raw=EVENT, zone=ZONES)
def test_any_google_shaped_event_parses_or_carries_a_problem(raw, zone):
    check(parse_event_safely(raw, zone))


@settings(max_examples=EXAMPLES // 2, deadline=None)
@given(raw=JSON)
def test_any_json_value_parses_or_carries_a_problem(raw):
    check(parse_event_safely(raw))


def test_an_updated_time_without_an_offset_is_read_as_utc():
    """Found by the sync fuzz test: a naive time reached a DateTimeField (Django warned and
    would have read it in the server's zone)."""
    raw = {"id": "e1", "start": {"date": "2026-12-01"}, "updated": "2026-12-01T10:00:00"}
    assert parse_event_safely(raw).updated == datetime(2026, 12, 1, 10, tzinfo=UTC)


def test_a_time_near_the_end_of_the_calendar_is_unreadable_not_an_overflow():
    """Found by the sync fuzz test: 9999-12-31T23:59:59-23:59 parsed, then overflowed when the
    database adapter turned it into UTC, and stopped the calendar's sync."""
    for start in ({"dateTime": "9999-12-31T23:59:59-23:59"}, {"date": "9999-12-31"}):
        event = parse_event_safely({"id": "e1", "start": start})
        assert event.problem == "unreadable event data: ValueError: a time out of range"
