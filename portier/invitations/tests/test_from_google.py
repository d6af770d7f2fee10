"""The acceptance path end to end: Google (the loopback fake) -> sync engine -> outbox -> SMTP."""

from datetime import timedelta

import pytest

from portier.integrations.models import Calendar
from portier.invitations.tests.helpers import subject
from portier.outbox.models import Notification, Status
from portier.testing.sync_fixtures import BOB, attendees, soon
from portier.visits.models import Appointment

pytestmark = pytest.mark.django_db
GUESTS = ["ann@example.org", "ben@example.net", "cem@example.com"]


def inbox(sink):
    return sorted((r.rcpt_tos[0], subject(r.message).split(":")[0]) for r in sink.received)


def each(kind):
    return [(email, kind) for email in sorted(GUESTS)]


def test_an_event_from_google_through_its_life(google_fake, bob_calendar, sync, smtp_sink):
    start = soon(days=4, hour=10)
    event = google_fake.create_event(
        BOB,
        summary="Visit from Initech",
        start=start,
        end=start + timedelta(hours=1),
        time_zone="Europe/Berlin",
        attendees=[
            {"email": BOB, "organizer": True, "responseStatus": "accepted"},
            {"email": "room-1@resource.calendar.google.com", "resource": True},
            ("dora@acme.example", "Dora"),
            *[(e, e.split("@")[0].title()) for e in GUESTS],
            ("invite@portier.example", "Portier"),
        ],
    )
    sync(bob_calendar)
    assert inbox(smtp_sink) == each("Invitation")

    smtp_sink.clear()
    moved = start + timedelta(hours=2)
    google_fake.update_event(BOB, event["id"], start=moved, end=moved + timedelta(hours=1))
    sync(bob_calendar)
    assert inbox(smtp_sink) == each("Changed")

    smtp_sink.clear()
    google_fake.update_event(BOB, event["id"], description="Only the description changed")
    for _ in range(5):
        sync(bob_calendar)
    Calendar.objects.filter(pk=bob_calendar.pk).update(sync_cursor="")  # a full resync
    sync(bob_calendar)
    assert smtp_sink.messages == []

    google_fake.delete_event(BOB, event["id"])
    sync(bob_calendar)
    sync(bob_calendar)
    assert inbox(smtp_sink) == each("Cancelled")
    assert Notification.objects.exclude(status__in=[Status.SENT, Status.SKIPPED]).count() == 0


def test_a_weekly_series_from_google(google_fake, bob_calendar, sync, smtp_sink):
    first = soon(days=2, hour=9)
    series = google_fake.create_event(
        BOB,
        summary="Weekly review",
        start=first,
        end=first + timedelta(hours=1),
        time_zone="Europe/Berlin",
        recurrence=["RRULE:FREQ=WEEKLY;COUNT=6"],
        attendees=attendees(*GUESTS),
    )
    sync(bob_calendar)
    assert Appointment.objects.count() == 6
    assert inbox(smtp_sink) == each("Invitation to a series")

    smtp_sink.clear()
    third = Appointment.objects.order_by("starts_at")[2]
    moved_to = third.starts_at + timedelta(hours=3)
    google_fake.move_instance(
        BOB, series["id"], third.starts_at, start=moved_to, end=moved_to + timedelta(hours=1)
    )
    sync(bob_calendar)
    assert inbox(smtp_sink) == each("Changed")

    smtp_sink.clear()
    google_fake.delete_event(BOB, series["id"])
    sync(bob_calendar)
    assert inbox(smtp_sink) == each("Cancelled")
    assert all(subject(m).endswith("(all dates)") for m in smtp_sink.messages)
