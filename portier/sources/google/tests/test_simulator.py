"""The Google simulator speaks the Calendar API well enough for Google's own libraries,
unchanged."""

import re
from datetime import date, datetime, timedelta

import pytest
from googleapiclient.errors import HttpError

from portier.sources.google.tests.simulator_helpers import (
    BOB,
    RFC3339_MS,
    full_sync,
    reason_of,
)

# -- events.list ----------------------------------------------------------------------------


def test_events_list_pages_with_sync_token_only_on_the_last_page(fake, calendar):
    start = datetime(2030, 5, 6, 9, 0)
    created = [
        fake.create_event(BOB, summary=f"Visit {n}", start=start + timedelta(days=n))["id"]
        for n in range(7)
    ]

    pages, page_token = [], None
    while True:
        page = calendar.events().list(calendarId=BOB, maxResults=3, pageToken=page_token)
        page = page.execute()
        pages.append(page)
        page_token = page.get("nextPageToken")
        if not page_token:
            break

    assert [len(page["items"]) for page in pages] == [3, 3, 1]
    assert ["nextSyncToken" in page for page in pages] == [False, False, True]
    assert ["nextPageToken" in page for page in pages] == [True, True, False]
    assert sorted(item["id"] for page in pages for item in page["items"]) == sorted(created)
    assert pages[0]["kind"] == "calendar#events"
    assert pages[0]["timeZone"] == "Europe/Berlin"


def test_event_fields_look_like_googles(fake, calendar):
    fake.create_event(
        BOB,
        summary="Visit from Globex",
        description="Contract talk",
        location="Room 1",
        start=datetime(2030, 5, 6, 10, 30),
        end=datetime(2030, 5, 6, 11, 30),
        attendees=[("carol@globex.example", "Carol"), "invite@portier.example", BOB],
    )
    fake.create_event(BOB, summary="Off-site", start=date(2030, 5, 8), end=date(2030, 5, 10))

    timed, all_day = calendar.events().list(calendarId="primary").execute()["items"]

    assert timed["kind"] == "calendar#event"
    assert timed["status"] == "confirmed"
    assert re.fullmatch(r'"\d+"', timed["etag"])
    assert re.fullmatch(r"[0-9a-v]{26}", timed["id"])
    assert timed["iCalUID"] == timed["id"] + "@google.com"
    assert RFC3339_MS.match(timed["created"]) and RFC3339_MS.match(timed["updated"])
    assert timed["htmlLink"].startswith("https://www.google.com/calendar/event?eid=")
    assert timed["start"] == {"dateTime": "2030-05-06T10:30:00+02:00", "timeZone": "Europe/Berlin"}
    assert timed["organizer"] == {"email": BOB, "displayName": "Bob", "self": True}
    assert timed["attendees"] == [
        {"email": "carol@globex.example", "displayName": "Carol", "responseStatus": "needsAction"},
        {"email": "invite@portier.example", "responseStatus": "needsAction"},
        {"email": BOB, "organizer": True, "responseStatus": "accepted", "self": True},
    ]
    assert (timed["sequence"], timed["reminders"]) == (0, {"useDefault": True})
    assert (all_day["start"], all_day["end"]) == ({"date": "2030-05-08"}, {"date": "2030-05-10"})


def test_incremental_sync_returns_update_and_bare_deletion(fake, calendar):
    kept = fake.create_event(BOB, summary="Visit", start=datetime(2030, 5, 6, 9, 0))
    doomed = fake.create_event(BOB, summary="Audit", start=datetime(2030, 5, 7, 9, 0))
    _items, token = full_sync(calendar)

    fake.update_event(BOB, kept["id"], location="Room 2")
    fake.delete_event(BOB, doomed["id"])
    changes, token = full_sync(calendar, syncToken=token)

    by_id = {item["id"]: item for item in changes}
    assert by_id[kept["id"]]["location"] == "Room 2"
    assert by_id[kept["id"]]["sequence"] == 0  # not a time change
    assert by_id[kept["id"]]["etag"] != kept["etag"]
    assert by_id[doomed["id"]] == {
        "kind": "calendar#event",
        "etag": by_id[doomed["id"]]["etag"],
        "id": doomed["id"],
        "status": "cancelled",
    }
    fake.update_event(BOB, kept["id"], start=datetime(2030, 5, 6, 10, 0))
    (moved,), token = full_sync(calendar, syncToken=token)
    assert moved["sequence"] == 1
    assert moved["end"]["dateTime"] == "2030-05-06T11:00:00+02:00"  # duration kept
    assert full_sync(calendar, syncToken=token)[0] == []
    # A full sync carries no tombstones unless asked to.
    assert doomed["id"] not in {item["id"] for item in full_sync(calendar)[0]}
    assert doomed["id"] in {item["id"] for item in full_sync(calendar, showDeleted=True)[0]}


@pytest.mark.parametrize(
    "param",
    [{"timeMin": "2030-01-01T00:00:00Z"}, {"q": "visit"}, {"updatedMin": "2030-01-01T00:00:00Z"}],
)
def test_sync_token_cannot_be_combined_with_filters(fake, calendar, param):
    _items, token = full_sync(calendar)
    with pytest.raises(HttpError) as error:
        calendar.events().list(calendarId=BOB, syncToken=token, **param).execute()
    assert error.value.status_code == 400


def test_invalidated_sync_token_answers_410_full_sync_required(fake, calendar):
    _items, token = full_sync(calendar)
    fake.invalidate_sync_tokens(BOB)

    for stale in (token, "CPDAlvWDx70CEPDAlvWDx70CGAU="):
        with pytest.raises(HttpError) as error:
            calendar.events().list(calendarId=BOB, syncToken=stale).execute()
        assert error.value.status_code == 410
        assert reason_of(error.value) == "fullSyncRequired"
    _items, token = full_sync(calendar)
    assert full_sync(calendar, syncToken=token)[0] == []


def test_page_token_belongs_to_its_query(fake, calendar):
    for n in range(3):
        fake.create_event(BOB, summary=f"Visit {n}", start=datetime(2030, 5, 6 + n, 9, 0))
    page = calendar.events().list(calendarId=BOB, maxResults=2).execute()
    with pytest.raises(HttpError) as error:
        calendar.events().list(
            calendarId=BOB, maxResults=2, pageToken=page["nextPageToken"], showDeleted=True
        ).execute()
    assert error.value.status_code == 400


def test_time_window_text_and_ical_uid_filters(fake, calendar):
    early = fake.create_event(BOB, summary="Breakfast", start=datetime(2030, 5, 6, 8, 0))
    late = fake.create_event(BOB, summary="Dinner with Globex", start=datetime(2030, 5, 6, 19, 0))

    def ids(**params):
        return [item["id"] for item in full_sync(calendar, **params)[0]]

    assert ids(timeMin="2030-05-06T12:00:00+02:00") == [late["id"]]
    assert ids(timeMax="2030-05-06T12:00:00+02:00") == [early["id"]]
    assert ids(q="globex") == [late["id"]]
    assert ids(iCalUID=early["iCalUID"]) == [early["id"]]
    got = calendar.events().get(calendarId="primary", eventId=late["id"]).execute()
    assert got["summary"] == "Dinner with Globex"


def test_a_change_made_while_paging_reaches_the_next_sync(fake, calendar):
    events = [
        fake.create_event(BOB, summary=f"Visit {n}", start=datetime(2030, 5, 6 + n, 9, 0))
        for n in range(4)
    ]
    listing = calendar.events()
    pages = [listing.list(calendarId=BOB, maxResults=2).execute()]
    fake.update_event(BOB, events[0]["id"], summary="Changed while paging")  # already seen
    while "nextPageToken" in pages[-1]:
        page_token = pages[-1]["nextPageToken"]
        pages.append(listing.list(calendarId=BOB, maxResults=2, pageToken=page_token).execute())
    token = pages[-1]["nextSyncToken"]
    # Ordered by last change, the event comes round again in this chain, and in the next.
    assert [item["summary"] for item in pages[-1]["items"]] == ["Changed while paging"]

    changes, _token = full_sync(calendar, syncToken=token)

    assert [item["summary"] for item in changes] == ["Changed while paging"]


def test_deleting_a_series(fake, calendar):
    series = fake.create_event(
        BOB,
        summary="Weekly",
        start=datetime(2030, 5, 6, 9, 0),
        recurrence=["RRULE:FREQ=WEEKLY;COUNT=2"],
    )
    _items, plain_token = full_sync(calendar)
    _items, single_token = full_sync(calendar, singleEvents=True)

    fake.delete_event(BOB, series["id"])

    (gone,), _token = full_sync(calendar, syncToken=plain_token)
    assert gone == {
        "kind": "calendar#event",
        "etag": gone["etag"],
        "id": series["id"],
        "status": "cancelled",
    }
    instances, _token = full_sync(calendar, syncToken=single_token, singleEvents=True)
    assert [(item["status"], item["recurringEventId"]) for item in instances] == [
        ("cancelled", series["id"])
    ] * 2


# -- recurring events -----------------------------------------------------------------------


def test_single_events_expand_a_weekly_series_and_show_a_cancelled_instance(fake, calendar):
    series = fake.create_event(
        BOB,
        summary="Weekly supplier visit",
        start=datetime(2030, 3, 18, 9, 0),  # Europe/Berlin; DST starts on 31 March 2030
        recurrence=["RRULE:FREQ=WEEKLY;COUNT=4"],
        attendees=[("supplier@example.com", "Supplier")],
    )
    instances, token = full_sync(calendar, singleEvents=True)
    assert [item["id"] for item in instances] == [
        f"{series['id']}_20300318T080000Z",
        f"{series['id']}_20300325T080000Z",
        f"{series['id']}_20300401T070000Z",
        f"{series['id']}_20300408T070000Z",
    ]
    assert {item["start"]["dateTime"][11:] for item in instances} == {
        "09:00:00+01:00",
        "09:00:00+02:00",
    }
    assert all(item["recurringEventId"] == series["id"] for item in instances)
    assert all(item["iCalUID"] == series["iCalUID"] for item in instances)
    assert "recurrence" not in instances[0]

    fake.cancel_instance(BOB, series["id"], datetime(2030, 3, 25, 9, 0))
    (cancelled,), token = full_sync(calendar, syncToken=token, singleEvents=True)

    assert cancelled == {
        "kind": "calendar#event",
        "etag": cancelled["etag"],
        "id": f"{series['id']}_20300325T080000Z",
        "status": "cancelled",
        "recurringEventId": series["id"],
        "originalStartTime": {"dateTime": "2030-03-25T09:00:00+01:00", "timeZone": "Europe/Berlin"},
    }
    assert len(full_sync(calendar, singleEvents=True)[0]) == 3
    # Without singleEvents: the series itself, and its cancelled exception.
    master, exception = full_sync(calendar)[0]
    assert master["recurrence"] == ["RRULE:FREQ=WEEKLY;COUNT=4"]
    assert exception["id"] == cancelled["id"]


def test_moved_instance_keeps_its_original_start(fake, calendar):
    series = fake.create_event(
        BOB,
        summary="Daily stand-up",
        start=datetime(2030, 5, 6, 9, 0),
        recurrence=["RRULE:FREQ=DAILY;INTERVAL=2;UNTIL=20300512T235959Z"],
    )
    fake.move_instance(
        BOB, series["id"], datetime(2030, 5, 8, 9, 0), start=datetime(2030, 5, 8, 11, 0)
    )

    instances, _token = full_sync(calendar, singleEvents=True, orderBy="startTime")

    assert [item["start"]["dateTime"] for item in instances] == [
        "2030-05-06T09:00:00+02:00",
        "2030-05-08T11:00:00+02:00",
        "2030-05-10T09:00:00+02:00",
        "2030-05-12T09:00:00+02:00",
    ]
    moved = instances[1]
    assert moved["id"] == f"{series['id']}_20300508T070000Z"
    assert moved["originalStartTime"]["dateTime"] == "2030-05-08T09:00:00+02:00"
    assert moved["sequence"] == 1
    listed = calendar.events().instances(calendarId=BOB, eventId=series["id"]).execute()
    assert [item["id"] for item in listed["items"]] == [item["id"] for item in instances]


def test_weekly_byday_series_bounded_by_time_max(fake, calendar):
    fake.create_event(
        BOB,
        summary="Office days",
        start=datetime(2030, 5, 6, 8, 0),
        recurrence=["RRULE:FREQ=WEEKLY;BYDAY=MO,WE"],
    )
    instances, _token = full_sync(
        calendar,
        singleEvents=True,
        timeMin="2030-05-07T00:00:00Z",
        timeMax="2030-05-21T00:00:00Z",
    )
    assert [item["start"]["dateTime"][:10] for item in instances] == [
        "2030-05-08",
        "2030-05-13",
        "2030-05-15",
        "2030-05-20",
    ]
