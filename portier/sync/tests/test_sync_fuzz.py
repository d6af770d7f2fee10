"""Fuzzing the sync with whatever JSON the calendar serves for one event of a page.

Served by the Google simulator over HTTP and read by the real client: the sync never fails as
a whole for one event's data, the other event of the page still becomes an appointment, and an
event that carried the marker and was rejected says why in the host's list of ignored events.
"""

import os
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portier.integrations.models import Calendar, Status
from portier.sources.google.parse import parse_event_safely
from portier.sources.google.tests.strategies import CHANGES
from portier.sync.models import SyncedEvent, SyncLogEntry
from portier.testing.db import rolled_back
from portier.testing.sync_fixtures import BOB, attendees, soon
from portier.visits.models import Appointment
from portier.visits.remote_events import is_marked

EXAMPLES = int(os.environ.get("PORTIER_FUZZ_EXAMPLES", "60"))  # more: `make soak`


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(changes=CHANGES, page=st.sampled_from(["full", "incremental"]))
def test_one_events_data_never_stops_the_sync(
    google_fake, bob_calendar, sync, bob_client, changes, page
):
    start = soon()
    made = [
        google_fake.create_event(
            BOB,
            summary=title,
            start=start,
            end=start + timedelta(hours=1),
            time_zone="Europe/Berlin",
            attendees=attendees(guest),
        )
        for title, guest in (("Good", "good@ext.example"), ("Bad", "bad@ext.example"))
    ]
    good, bad = (event["id"] for event in made)
    try:
        with rolled_back():
            if page == "incremental":
                sync(bob_calendar)  # both as Google made them; the bad one changes next
            google_fake.serve_raw(BOB, bad, **changes)
            sync(bob_calendar)  # raises if one event's data stopped the sync

            calendar = Calendar.objects.get(pk=bob_calendar.pk)
            assert calendar.status == Status.CONNECTED, calendar.last_error
            assert SyncedEvent.objects.get(remote_id=good).appointment.status == "active"
            served = parse_event_safely(google_fake.get_event(BOB, bad), "Europe/Berlin")
            logged = SyncLogEntry.objects.filter(calendar=calendar, remote_id=served.remote_id)
            placed = SyncedEvent.objects.filter(remote_id=bad, appointment__isnull=False)
            if served.problem:
                assert logged.filter(action="error", code="unreadable").exists()
                page_text = bob_client.get("/appointments/ignored/").content.decode()
                assert "could not be read" in page_text
            elif is_marked(served) and not served.is_cancelled:
                assert placed.exists() or logged.exists(), (changes, page, served)
    finally:
        for event_id in (good, bad):
            google_fake.delete_event(BOB, event_id)
    assert not Appointment.objects.exists()


# Regression tests, one per finding of the fuzz tests above.


def _two_marked_events(fake):
    start = soon()
    return [
        fake.create_event(
            BOB,
            summary=title,
            start=start,
            end=start + timedelta(hours=1),
            time_zone="Europe/Berlin",
            attendees=attendees(f"{title.lower()}@ext.example"),
        )["id"]
        for title in ("Good", "Bad")
    ]


def test_a_title_that_is_not_text_no_longer_stops_the_whole_sync(google_fake, bob_calendar, sync):
    good, bad = _two_marked_events(google_fake)
    google_fake.serve_raw(BOB, bad, summary=5)
    sync(bob_calendar)
    assert Calendar.objects.get(pk=bob_calendar.pk).status == Status.CONNECTED
    assert SyncedEvent.objects.get(remote_id=good).appointment.status == "active"
    entry = SyncLogEntry.objects.get(remote_id=bad)
    assert (entry.action, entry.code, entry.params) == (
        "error",
        "unreadable",
        {"detail": "ValueError: summary is not text"},
    )


def test_an_event_without_a_start_is_unreadable_and_said_so(google_fake, bob_calendar, sync):
    _good, bad = _two_marked_events(google_fake)
    google_fake.serve_raw(BOB, bad, start={})
    sync(bob_calendar)
    assert SyncLogEntry.objects.get(remote_id=bad).params == {
        "detail": "ValueError: the event has no start"
    }


def test_an_unreadable_event_shows_on_the_hosts_ignored_page_until_read_again(
    google_fake, bob_calendar, sync, bob_client
):
    _good, bad = _two_marked_events(google_fake)
    google_fake.serve_raw(BOB, bad, start={})
    sync(bob_calendar)
    page = bob_client.get("/appointments/ignored/").content.decode()
    assert "could not be read (ValueError: the event has no start)" in page
    google_fake.serve_raw(BOB, bad)  # served as Google made it again
    sync(bob_calendar)
    assert SyncedEvent.objects.get(remote_id=bad).appointment.status == "active"
    assert "could not be read" not in bob_client.get("/appointments/ignored/").content.decode()
