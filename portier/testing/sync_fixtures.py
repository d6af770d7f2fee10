"""Fixtures for tests that go through the sync engine: Bob's Google calendar on the fake."""

from datetime import UTC, datetime, timedelta

import pytest

from portier.integrations.models import Calendar

BOB = "bob@acme.example"
MARKER = "invite@portier.example"


@pytest.fixture
def marker(settings):
    settings.PORTIER_INVITE_ADDRESS = MARKER
    settings.PORTIER_BASE_URL = "http://testserver"
    settings.GOOGLE_BACKOFF_SECONDS = 0.01
    return MARKER


@pytest.fixture
def bob_google(bob, acme_hq, google_fake, marker):
    from portier.testing.google import connect_google

    bob.primary_location = acme_hq
    bob.save()
    google_fake.add_account(BOB, name="Bob", time_zone="Europe/Berlin")
    return connect_google(bob, google_fake, BOB)


@pytest.fixture
def bob_calendar(bob_google) -> Calendar:
    return bob_google.calendars.get(is_primary=True)


@pytest.fixture
def sync(django_capture_on_commit_callbacks):
    """Run one sync the way the worker does, with its after-commit work (e-mails) included."""
    from portier.sync.tasks import run_sync

    def run(calendar):
        with django_capture_on_commit_callbacks(execute=True):
            return run_sync(calendar.pk)

    return run


def soon(days=3, hour=10):
    base = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=days)
    return base.replace(hour=hour)


def attendees(*emails, marker=MARKER):
    return [(e, e.split("@")[0].title()) for e in emails] + [(marker, "Portier")]
