"""A page's marked events share its statements (docs/performance.md §2): the links and the
appointments of its events are read once a page, its versions, contacts, sync-log lines and the
outbox's wake-up are written once a page, however many events the page places. What is still
written per event (the appointment, its guests, its outbox rows, its link) stays a fixed number
of statements each."""

import re
from collections import Counter
from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from portier.contacts.models import Contact
from portier.outbox.models import Notification
from portier.outbox.tasks import deliver_outbox
from portier.sync.engine import sync_calendar
from portier.sync.models import SyncLogEntry
from portier.testing.sync_fixtures import BOB, attendees, soon
from portier.visits.models import AppointmentVersion

PER_PAGE = ("visits_appointmentversion", "contacts_contact", "sync_synclogentry")


def _statements(google_fake, calendar, n: int, first: int, callbacks) -> Counter:
    """Statements of an incremental sync that picks up n new marked events, by table and verb."""
    for i in range(first, first + n):
        start = soon(days=1 + i % 20)
        google_fake.create_event(
            BOB, summary=f"Visit {i}", start=start, end=start + timedelta(hours=1),
            attendees=attendees(f"guest{i}@ext.example"),
        )  # fmt: skip
    with CaptureQueriesContext(connection) as captured, callbacks() as after_commit:
        sync_calendar(calendar.pk)
    kinds: Counter = Counter()
    for query in captured:
        sql = query["sql"]
        verb = sql.split(None, 1)[0]
        table = re.search(r'(?:FROM|INTO|UPDATE) "(\w+)"', sql)
        kinds[(verb, table.group(1) if table else "")] += 1
    kinds["outbox wake-ups"] = sum(c is deliver_outbox for c in after_commit)
    return kinds


def test_a_page_writes_versions_contacts_and_log_lines_once_and_links_are_read_once(
    google_fake, bob_calendar, django_capture_on_commit_callbacks
):
    sync_calendar(bob_calendar.pk)  # the empty calendar: the next syncs are incremental
    callbacks = django_capture_on_commit_callbacks
    few = _statements(google_fake, bob_calendar, 5, first=0, callbacks=callbacks)
    many = _statements(google_fake, bob_calendar, 20, first=5, callbacks=callbacks)

    assert few["outbox wake-ups"] == many["outbox wake-ups"] == 1  # a queued task each
    for table in PER_PAGE:
        assert few[("INSERT", table)] == many[("INSERT", table)] == 1, table
    assert few[("SELECT", "sync_syncedevent")] == many[("SELECT", "sync_syncedevent")]
    assert few[("SELECT", "locations_location")] == many[("SELECT", "locations_location")]
    assert few[("SELECT", "visits_appointment")] == many[("SELECT", "visits_appointment")]
    # The rest grows by a fixed number per event: the appointment's insert in a savepoint (two
    # statements), its guests, its outbox rows, its link: 6 now, 26 before the batching.
    per_event = (sum(many.values()) - sum(few.values())) / 15
    assert per_event <= 6
    # Every row is there all the same: one of each per event (two log lines: picked up, invited).
    assert AppointmentVersion.objects.count() == 25
    assert Contact.objects.filter(host=bob_calendar.connection.user).count() == 25
    assert SyncLogEntry.objects.filter(calendar=bob_calendar).count() == 50
    assert Notification.objects.filter(kind="invitation").count() == 25
