"""Events organized outside the company never make Portier write to anyone.

Anyone can put an event on a host's calendar (Google adds invitations by default): an outsider
who invites the host and the marker address must not get Portier to e-mail people in the
company's name. Through the whole chain: Google fake -> sync -> outbox -> SMTP sink.
"""

from datetime import timedelta

import pytest
from django.utils import translation

from portier.companies.models import Role
from portier.sync.models import SyncLogEntry
from portier.testing.factories import make_member
from portier.testing.sync_fixtures import BOB, attendees, soon
from portier.visits.models import Appointment

GUEST = "victim@ext.example"
OUTSIDER = "mallory@evil.example"


def create(fake, *, organizer=None, guest=GUEST):
    start = soon(days=4)
    people = attendees(guest)
    if organizer:
        people = [(organizer, "Organizer"), (BOB, "Bob"), *people]
    return fake.create_event(
        BOB,
        summary="Visit",
        start=start,
        end=start + timedelta(hours=1),
        time_zone="Europe/Berlin",
        attendees=people,
        organizer=organizer,
    )


def test_an_outsiders_invitation_with_the_marker_sends_no_guest_email(
    google_fake, bob_calendar, bob, sync, smtp_sink, bob_client
):
    event = create(google_fake, organizer=OUTSIDER)
    assert event["organizer"]["email"] == OUTSIDER and "self" not in event["organizer"]
    sync(bob_calendar)
    sync(bob_calendar)

    assert not Appointment.objects.exists()
    assert not smtp_sink.messages_to(GUEST)
    [entry] = SyncLogEntry.objects.all()
    assert (entry.action, entry.code) == ("ignored", "outside_organizer")
    page = bob_client.get("/appointments/ignored/").content.decode()
    assert "The event was organized outside your company" in page


def test_the_outside_organizer_reason_is_said_in_the_readers_language(
    google_fake, bob_calendar, sync, bob, bob_client
):
    create(google_fake, organizer=OUTSIDER)
    with translation.override("en"):  # the worker's language is nobody's
        sync(bob_calendar)
    bob.language = "de"
    bob.save()
    page = bob_client.get("/appointments/ignored/").content.decode()
    assert "Der Termin wurde außerhalb Ihrer Firma organisiert" in page
    assert "organized outside" not in page


@pytest.mark.parametrize(
    "organizer",
    [None, "dave@contractor.example", "events@acme.example"],
    ids=["the host", "a colleague with an outside address", "an internal address, no user"],
)
def test_events_organized_inside_the_company_still_invite(
    google_fake, bob_calendar, sync, smtp_sink, acme, organizer
):
    make_member(acme, email="dave@contractor.example", name="Dave", role=Role.HOST)
    create(google_fake, organizer=organizer)
    sync(bob_calendar)
    assert Appointment.objects.get().status == "active"
    assert len(smtp_sink.messages_to(GUEST)) == 1


def test_a_colleagues_deactivated_account_no_longer_counts_as_inside(
    google_fake, bob_calendar, sync, smtp_sink, acme
):
    dave = make_member(acme, email="dave@contractor.example", name="Dave", role=Role.HOST)
    dave.is_active = False
    dave.save()
    create(google_fake, organizer="dave@contractor.example")
    sync(bob_calendar)
    assert not Appointment.objects.exists()
    assert not smtp_sink.messages_to(GUEST)


def test_an_organizer_changed_to_an_outsider_cancels_like_a_removed_marker(
    google_fake, bob_calendar, sync, smtp_sink
):
    event = create(google_fake)
    sync(bob_calendar)
    appointment = Appointment.objects.get()
    assert len(smtp_sink.messages_to(GUEST)) == 1

    google_fake.update_event(BOB, event["id"], organizer=OUTSIDER)
    sync(bob_calendar)
    appointment.refresh_from_db()
    assert appointment.status == "cancelled"
    assert [e.action for e in SyncLogEntry.objects.filter(code="outside_organizer")] == [
        "ignored",
        "cancelled",
    ]
    # The guest hears of the cancellation (as when the marker is removed), nothing else.
    subjects = [m["Subject"] for m in smtp_sink.messages_to(GUEST)]
    assert len(subjects) == 2 and "ancel" in subjects[1]


def test_the_integrations_page_states_the_rule(bob_client, acme):
    page = bob_client.get("/integrations/").content.decode()
    assert 'id="which-events"' in page and "organized inside your company" in page
