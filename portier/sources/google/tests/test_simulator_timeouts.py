"""hang_next: a request that times out, as the client meets it (no answer, then no connection)."""

import time

import httplib2
import pytest

from portier.sources.google.tests.simulator_helpers import BOB


def test_a_hung_request_answers_nothing_then_the_next_one_works(fake, calendar):
    fake.hang_next(2, seconds=0.3)  # httplib2 itself tries a dropped request once more
    started = time.monotonic()
    with pytest.raises((OSError, httplib2.HttpLib2Error)):
        calendar.events().list(calendarId=BOB).execute(num_retries=0)
    assert time.monotonic() - started >= 0.25
    assert "items" in calendar.events().list(calendarId=BOB).execute()


def test_clear_releases_a_hung_request_at_once(fake, calendar):
    import threading

    fake.hang_next(2, seconds=30)
    threading.Timer(0.2, fake.faults.clear).start()
    started = time.monotonic()
    # Released, the dropped request is tried again and meets no fault any more.
    assert "items" in calendar.events().list(calendarId=BOB).execute(num_retries=0)
    assert time.monotonic() - started < 5


def test_one_dropped_request_is_retried_by_the_http_library(fake, calendar):
    fake.hang_next(1, seconds=0.1)
    assert "items" in calendar.events().list(calendarId=BOB).execute(num_retries=0)
