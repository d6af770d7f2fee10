"""Parsing Google's event JSON, with real captures (KDE/libkgapi test data, LGPL) and bad data."""

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from portier.sources.google.parse import parse_event, parse_event_safely

CAPTURES = Path(__file__).resolve().parent / "captures"  # see captures/README.md


def capture(name: str) -> dict:
    raw = (CAPTURES / name).read_text()
    return json.loads(raw[raw.index("{") :])


def test_real_page_with_offsets_time_zones_and_a_different_creator():
    page = capture("events_fetch_page1_response.txt")
    events = [parse_event(item, page.get("timeZone", "")) for item in page["items"]]
    assert events and all(e.remote_id for e in events)
    timed = [e for e in events if e.start and e.start.at]
    assert timed and all(e.start.at.tzinfo is not None for e in timed)
    assert any(e.creator and e.organizer and e.creator != e.organizer for e in events)


def test_real_page_with_an_all_day_yearly_series_and_an_imported_uid():
    page = capture("events_fetch_page2_response.txt")
    events = {e.title: e for e in (parse_event(item) for item in page["items"])}
    sprint = events["KDE PIM Sprint"]
    assert sprint.start.day == date(2018, 4, 20) and sprint.end.day == date(2018, 4, 23)
    assert sprint.start.all_day and sprint.recurrence == (
        "RRULE:FREQ=YEARLY;BYMONTH=4;BYMONTHDAY=20",
    )
    assert sprint.ical_uid == "009c2cc9-0781-482d-8ccd-8fc9bfeb3138"
    assert any(a.is_self for a in sprint.attendees)


def test_a_deleted_event_carries_only_its_id():
    event = parse_event(
        {"kind": "calendar#event", "etag": '"1"', "id": "abc", "status": "cancelled"}
    )
    assert event.is_cancelled and event.remote_id == "abc" and event.start is None
    assert not event.is_series_deletion  # only the engine knows whether abc was a series


def test_a_cancelled_series_that_shows_its_rule_is_a_deleted_series():
    event = parse_event(
        {"id": "abc", "status": "cancelled", "recurrence": ["RRULE:FREQ=WEEKLY;COUNT=4"]}
    )
    assert event.is_series_deletion and event.remote_id == "abc"


def test_a_cancelled_occurrence_keeps_its_original_start():
    event = parse_event(
        {
            "id": "abc_20301105T090000Z",
            "status": "cancelled",
            "recurringEventId": "abc",
            "originalStartTime": {
                "dateTime": "2030-11-05T10:00:00+01:00",
                "timeZone": "Europe/Berlin",
            },
        }
    )
    assert event.series_id == "abc"
    assert event.instance_key == "20301105T090000Z"


def test_floating_times_are_read_in_their_zone():
    event = parse_event(
        {"id": "x", "start": {"dateTime": "2030-07-01T09:00:00", "timeZone": "Europe/Berlin"}}
    )
    assert event.start.at == datetime(2030, 7, 1, 7, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    "raw",
    [
        {"id": "bad1", "summary": "Broken", "start": {"dateTime": "not a time"}},
        {"id": "bad2", "start": {"date": "2030-02-30"}},
        {"id": "bad3", "attendees": "nobody"},
        {"summary": "no id at all"},
    ],
)
def test_malformed_events_come_back_with_a_problem_instead_of_raising(raw):
    event = parse_event_safely(raw)
    assert event.problem.startswith("unreadable event data")
    assert event.remote_id == raw.get("id", "")
