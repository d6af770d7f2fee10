"""A slow provider never holds the database: every provider call a page needs is made before
the page's transaction opens, so web writes go on while a sync waits for the provider."""

import threading
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.db import connection
from django.urls import reverse

from portier.sync.engine import sync_calendar
from portier.testing.sync_fixtures import BOB, attendees, soon
from portier.visits.models import Appointment, Series

# Real commits: the sync runs in a thread with its own database connection, as in the worker.
pytestmark = pytest.mark.django_db(transaction=True)


def test_a_host_saves_their_profile_while_a_sync_waits_for_a_slow_provider(
    google_fake, bob_calendar, bob_client, bob, acme_hq, smtp_sink
):
    first = soon(days=2, hour=9)
    series = google_fake.create_event(
        BOB,
        summary="Weekly review",
        start=first,
        end=first + timedelta(hours=1),
        time_zone="Europe/Berlin",
        recurrence=["RRULE:FREQ=WEEKLY;COUNT=3"],
        attendees=attendees("g@ext.example"),
    )
    # The sync reads the series itself for its rule (occurrences do not carry it): slowly.
    master = f"/calendar/v3/calendars/{quote(BOB, safe='')}/events/{series['id']}"
    slow = google_fake.delay_next(30, path_prefix=master)
    failures: list[BaseException] = []

    def run_sync():
        try:
            sync_calendar(bob_calendar.pk)
        except BaseException as exc:  # noqa: BLE001 - reported by the test below
            failures.append(exc)
        finally:
            connection.close()

    worker = threading.Thread(target=run_sync)
    worker.start()
    try:
        assert slow.arrived.wait(15), "the sync never asked for the series"
        response = bob_client.post(
            reverse("accounts:profile"),
            {"name": "Robert", "language": "en", "primary_location": acme_hq.pk},
        )
        assert response.status_code == 302
    finally:
        slow.release()
        worker.join(60)
    assert not worker.is_alive() and not failures
    bob.refresh_from_db()
    assert bob.name == "Robert"
    assert Appointment.objects.filter(status="active").count() == 3
    assert Series.objects.get().rule == "RRULE:FREQ=WEEKLY;COUNT=3"
