"""Fuzzing Google's event JSON: whatever a calendar hands us, the parser returns a RemoteEvent
whose fields have the types the engine relies on, or one that carries a problem. It never raises.
"""

from datetime import UTC, datetime

from hypothesis import given, settings

from portier.sources.google.parse import parse_event_safely
from portier.sources.google.tests.strategies import EVENT, JSON, ZONES
from portier.sources.tests.checks import check

EXAMPLES = 400


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
