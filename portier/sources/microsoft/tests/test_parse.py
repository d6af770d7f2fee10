"""Graph event JSON -> RemoteEvent, on events shaped as Graph sends them."""

from datetime import UTC, date, datetime

from portier.sources.microsoft.parse import parse_event, parse_event_safely, recurrence_rule


def graph_event(**fields):
    event = {
        "id": "AAMkAGI2TG93AAA=",
        "iCalUId": "040000008200E00074C5B7101A82E0080000000074F2",
        "type": "singleInstance",
        "subject": "Visit from Initech",
        "start": {"dateTime": "2026-03-27T09:00:00.0000000", "timeZone": "W. Europe Standard Time"},
        "end": {"dateTime": "2026-03-27T10:00:00.0000000", "timeZone": "W. Europe Standard Time"},
        "originalStartTimeZone": "W. Europe Standard Time",
        "isAllDay": False,
        "isCancelled": False,
        "location": {"displayName": "Lobby"},
        "organizer": {"emailAddress": {"name": "Bob", "address": "Bob@Acme.example"}},
        "attendees": [
            {
                "type": "required",
                "status": {"response": "accepted"},
                "emailAddress": {"name": "Peter", "address": "Peter@Initech.example"},
            },
            {
                "type": "resource",
                "status": {"response": "accepted"},
                "emailAddress": {"name": "Room 1", "address": "room1@acme.example"},
            },
            {
                "type": "optional",
                "status": {"response": "none"},
                "emailAddress": {"name": "Portier", "address": "invite@portier.example"},
            },
        ],
        "webLink": "https://outlook.office365.com/owa/?itemid=x",
        "lastModifiedDateTime": "2026-03-20T08:00:00.1234567Z",
    }
    event.update(fields)
    return event


def at(zone_name, day, wall):
    return {"dateTime": f"{day}T{wall}:00.0000000", "timeZone": zone_name}


def test_windows_zones_land_at_the_right_instants_across_the_dst_change():
    # Europe changes on 29 March 2026, the US on 8 March 2026.
    cases = [
        ("W. Europe Standard Time", "2026-03-27", "09:00", datetime(2026, 3, 27, 8, tzinfo=UTC)),
        ("W. Europe Standard Time", "2026-03-30", "09:00", datetime(2026, 3, 30, 7, tzinfo=UTC)),
        ("Pacific Standard Time", "2026-03-06", "09:00", datetime(2026, 3, 6, 17, tzinfo=UTC)),
        ("Pacific Standard Time", "2026-03-09", "09:00", datetime(2026, 3, 9, 16, tzinfo=UTC)),
    ]
    for zone, day, wall, instant in cases:
        event = parse_event(
            graph_event(
                start=at(zone, day, wall), end=at(zone, day, "10:00"), originalStartTimeZone=zone
            )
        )
        assert event.start.at.astimezone(UTC) == instant, (zone, day)
        assert event.start.time_zone in ("Europe/Berlin", "America/Los_Angeles")


def test_times_asked_for_in_utc_are_read_as_utc_and_keep_the_events_zone():
    event = parse_event(
        graph_event(
            start={"dateTime": "2026-03-30T07:00:00.0000000", "timeZone": "UTC"},
            end={"dateTime": "2026-03-30T08:00:00.0000000", "timeZone": "UTC"},
        )
    )
    assert event.start.at == datetime(2026, 3, 30, 7, tzinfo=UTC)
    assert event.start.time_zone == "Europe/Berlin"


def test_an_unknown_zone_fails_closed_with_a_reason():
    event = parse_event_safely(
        graph_event(
            start=at("Atlantis Standard Time", "2026-03-27", "09:00"),
            originalStartTimeZone="Atlantis Standard Time",
        )
    )
    assert event.problem and "Atlantis Standard Time" in event.problem
    assert event.start is None and event.attendees == ()
    # Outlook's custom zone has no name to map; its instants come in UTC, so it is read.
    custom = parse_event_safely(graph_event(originalStartTimeZone="tzone://Microsoft/Custom"))
    assert not custom.problem


def test_attendees_rooms_and_the_organizer():
    event = parse_event(graph_event())
    people = {a.email: a for a in event.attendees}
    assert event.organizer == "bob@acme.example"
    assert people["room1@acme.example"].resource
    assert people["invite@portier.example"].optional
    assert people["peter@initech.example"].response_status == "accepted"
    assert event.location == "Lobby" and event.title == "Visit from Initech"
    assert event.updated == datetime(2026, 3, 20, 8, 0, 0, 123456, tzinfo=UTC)


def test_an_occurrence_is_its_series_plus_its_original_start():
    occurrence = parse_event(
        graph_event(
            id="AAMkOcc1",
            type="exception",
            iCalUId="per-occurrence-uid",
            seriesMasterId="AAMkSeries",
            originalStart="2026-03-30T07:00:00Z",
            start=at("UTC", "2026-03-30", "09:00"),
        )
    )
    assert occurrence.series_id == "AAMkSeries" and occurrence.ical_uid == "AAMkSeries"
    assert occurrence.instance_key == "20260330T070000Z"
    single = parse_event(graph_event())
    assert single.ical_uid == "040000008200E00074C5B7101A82E0080000000074F2"
    assert single.instance_key == ""


def test_cancelled_and_all_day_events():
    assert parse_event(graph_event(isCancelled=True)).is_cancelled
    day = parse_event(
        graph_event(
            isAllDay=True,
            start={"dateTime": "2026-03-29T00:00:00.0000000", "timeZone": "UTC"},
            end={"dateTime": "2026-03-30T00:00:00.0000000", "timeZone": "UTC"},
        )
    )
    assert day.start.day == date(2026, 3, 29) and day.end.day == date(2026, 3, 30)


def test_recurrence_patterns_become_rrules():
    weekly = {
        "pattern": {"type": "weekly", "interval": 2, "daysOfWeek": ["tuesday", "thursday"]},
        "range": {"type": "numbered", "numberOfOccurrences": 6, "startDate": "2026-03-03"},
    }
    assert recurrence_rule(weekly) == ("RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;COUNT=6",)
    monthly = {
        "pattern": {
            "type": "relativeMonthly",
            "interval": 1,
            "daysOfWeek": ["monday"],
            "index": "last",
        },
        "range": {"type": "endDate", "endDate": "2026-12-31", "startDate": "2026-01-01"},
    }
    assert recurrence_rule(monthly) == (
        "RRULE:FREQ=MONTHLY;INTERVAL=1;BYDAY=-1MO;UNTIL=20261231T235959Z",
    )
    assert recurrence_rule(None) == ()
