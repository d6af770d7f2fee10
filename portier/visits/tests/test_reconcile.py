"""reconcile without a calendar: what an e-mail intake would do with an invitation it read."""

from datetime import timedelta

import pytest
from django.utils import timezone

from portier.outbox.models import Notification
from portier.sources.base import Attendee, EventTime, RemoteEvent
from portier.visits.models import Appointment
from portier.visits.reconcile import Context, Known, Reason, Verdict, reconcile

pytestmark = pytest.mark.django_db
BOB = "bob@acme.example"
START = (timezone.now() + timedelta(days=30)).replace(minute=0, second=0, microsecond=0)


@pytest.fixture
def context(acme, bob, acme_hq, marker):
    return Context(
        company=acme,
        host=bob,
        default_location=acme_hq,
        time_zone="Europe/Berlin",
        source="memory",
        now=timezone.now(),
        host_emails=frozenset({BOB}),
        own_addresses=frozenset({BOB}),
    )


def event(marker, **changes):
    start = START
    fields = {
        "remote_id": "mail-1",
        "ical_uid": "uid-1@mail.example",
        "title": "Audit",
        "start": EventTime(at=start, time_zone="Europe/Berlin"),
        "end": EventTime(at=start + timedelta(hours=1), time_zone="Europe/Berlin"),
        "organizer": BOB,
        "attendees": (Attendee(BOB, organizer=True), Attendee("g@ext.example"), Attendee(marker)),
    }
    return RemoteEvent(**{**fields, **changes})


def test_an_invitation_becomes_an_appointment_without_any_calendar(context, marker):
    outcome = reconcile(event(marker), context)
    appointment = outcome.appointment
    assert outcome.verdict == Verdict.CREATED and outcome.change.kind == "created"
    assert appointment.calendar_id is None and appointment.connection_id is None
    assert (appointment.source, appointment.location, appointment.host.email) == (
        "memory",
        context.default_location,
        BOB,
    )
    assert [g.email for g in appointment.guests.all()] == ["g@ext.example"]
    assert Notification.objects.filter(appointment=appointment, recipient="g@ext.example").exists()

    again = reconcile(event(marker), context, Known(appointment=appointment, shown=True))
    assert again.verdict == Verdict.UPDATED and again.change.kind == "unchanged"

    gone = reconcile(
        RemoteEvent(remote_id="mail-1", status="cancelled"),
        context,
        Known(appointment=appointment, shown=True),
    )
    assert (gone.verdict, gone.reason, gone.cancelled) == (
        Verdict.WITHDRAWN,
        Reason.EVENT_DELETED,
        True,
    )
    assert Appointment.objects.get().is_cancelled


def test_an_outsiders_event_and_one_without_outside_guests_are_ignored(context, marker):
    outsider = event(marker, organizer="boss@elsewhere.example")
    assert reconcile(outsider, context).reason == Reason.OUTSIDE_ORGANIZER
    colleagues = event(marker, attendees=(Attendee(BOB), Attendee(marker)))
    assert reconcile(colleagues, context).reason == Reason.NO_OUTSIDE_GUESTS
    assert not Appointment.objects.exists()
