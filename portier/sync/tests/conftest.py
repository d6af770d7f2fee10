from datetime import UTC, datetime, timedelta

import pytest

from portier.integrations.models import Calendar
from portier.sync.tasks import run_sync
from portier.testing.google import connect_google

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
    bob.primary_location = acme_hq
    bob.save()
    google_fake.add_account(BOB, name="Bob", time_zone="Europe/Berlin")
    connection = connect_google(bob, google_fake, BOB)
    return connection


@pytest.fixture
def bob_calendar(bob_google) -> Calendar:
    return bob_google.calendars.get(is_primary=True)


@pytest.fixture
def sync(django_capture_on_commit_callbacks):
    def run(calendar):
        with django_capture_on_commit_callbacks(execute=True):
            return run_sync(calendar.pk)

    return run


def soon(days=3, hour=10):
    base = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=days)
    return base.replace(hour=hour)


def attendees(*emails, marker=MARKER):
    return [(e, e.split("@")[0].title()) for e in emails] + [(marker, "Portier")]
