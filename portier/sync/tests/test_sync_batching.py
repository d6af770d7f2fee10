"""A page's marked events share its statements (docs/performance.md §2): the links are read
once a page, and the versions, contacts and sync-log lines are written once a page, however
many events the page places. What is still written per event (the appointment, its guests, its
outbox rows, its link) stays a fixed number of statements each."""

import re
from collections import Counter
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from portier.contacts.models import Contact
from portier.outbox.models import Notification
from portier.sync.engine import sync_calendar
from portier.sync.models import SyncLogEntry
from portier.testing.sync_fixtures import BOB, attendees, soon
from portier.visits.models import AppointmentVersion

PER_PAGE = ("visits_appointmentversion", "contacts_contact", "sync_synclogentry")


def _statements(google_fake, calendar, n: int, first: int) -> Counter:
    """Statements of an incremental sync that picks up n new marked events, by table and verb."""
    for i in range(first, first + n):
        start = soon(days=1 + i % 20)
        google_fake.create_event(
            BOB, summary=f"Visit {i}", start=start, end=start + timedelta(hours=1),
            attendees=attendees(f"guest{i}@ext.example"),
        )  # fmt: skip
    with CaptureQueriesContext(connection) as captured:
        sync_calendar(calendar.pk)
    kinds: Counter = Counter()
    for query in captured:
        sql = query["sql"]
        verb = sql.split(None, 1)[0]
        table = re.search(r'(?:FROM|INTO|UPDATE) "(\w+)"', sql)
        kinds[(verb, table.group(1) if table else "")] += 1
    return kinds


def test_a_page_writes_versions_contacts_and_log_lines_once_and_links_are_read_once(
    google_fake, bob_calendar
):
    sync_calendar(bob_calendar.pk)  # the empty calendar: the next syncs are incremental
    few = _statements(google_fake, bob_calendar, 5, first=0)
    many = _statements(google_fake, bob_calendar, 20, first=5)

    for table in PER_PAGE:
        assert few[("INSERT", table)] == many[("INSERT", table)] == 1, table
    assert few[("SELECT", "sync_syncedevent")] == many[("SELECT", "sync_syncedevent")]
    assert few[("SELECT", "locations_location")] == many[("SELECT", "locations_location")]
    # The rest grows by a fixed number per event: the lookup of an appointment of the same
    # occurrence, its insert in a savepoint (two statements), its guests, its outbox rows, its
    # link: 7 now, 26 before the batching.
    per_event = (sum(many.values()) - sum(few.values())) / 15
    assert per_event <= 7
    # Every row is there all the same: one of each per event (two log lines: picked up, invited).
    assert AppointmentVersion.objects.count() == 25
    assert Contact.objects.filter(host=bob_calendar.connection.user).count() == 25
    assert SyncLogEntry.objects.filter(calendar=bob_calendar).count() == 50
    assert Notification.objects.filter(kind="invitation").count() == 25
