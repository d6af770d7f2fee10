"""Location codes through the whole chain: Google fake -> sync -> outbox -> SMTP sink."""

from datetime import timedelta

import pytest

from portier.locations.services import update_location
from portier.outbox.models import Notification
from portier.sync.models import SyncLogEntry
from portier.testing.factories import LocationFactory
from portier.testing.sync_fixtures import BOB, attendees, soon
from portier.visits.models import Appointment

GUESTS = ("ann@ext.example", "ben@ext.example")


@pytest.fixture
def munich(acme):
    return LocationFactory(
        company=acme, name="Munich office", address="Leopoldstr. 50\n80802 München", code="MUC"
    )


@pytest.fixture
def globex_code(globex):
    return LocationFactory(company=globex, name="Globex Tower", code="GLX")


def create(fake, location="", title="Visit"):
    start = soon(days=5)
    return fake.create_event(
        BOB,
        summary=title,
        start=start,
        end=start + timedelta(hours=1),
        time_zone="Europe/Berlin",
        location=location,
        attendees=attendees(*GUESTS),
    )


def subjects(sink, to):
    return [m["Subject"] for m in sink.messages_to(to)]


def test_a_valid_code_places_the_visit_and_the_address_is_in_the_invitation(
    google_fake, bob_calendar, sync, smtp_sink, munich
):
    create(google_fake, location="#muc")
    sync(bob_calendar)
    appointment = Appointment.objects.get()
    assert appointment.location == munich and appointment.location_code == "MUC"
    for guest in GUESTS:
        [message] = smtp_sink.messages_to(guest)
        text = message.get_body(("plain",)).get_content()
        assert "Leopoldstr. 50" in text and "Munich office" in text


def test_an_invalid_code_holds_the_appointment_and_tells_the_host_once(
    google_fake, bob_calendar, bob, sync, smtp_sink, munich, acme_hq, globex_code, alice
):
    bob.language = "de"
    bob.save()
    event = create(google_fake, location="#MUX")
    for _ in range(3):
        sync(bob_calendar)
    appointment = Appointment.objects.get()
    assert appointment.held_code == "MUX" and appointment.is_held
    assert all(not smtp_sink.messages_to(g) for g in GUESTS)
    [notice] = smtp_sink.messages_to(BOB)
    text = notice.get_body(("plain",)).get_content()
    assert "MUX" in text
    assert "MUC" in text and "ANHQ" in text and "Leopoldstr. 50" in text
    assert "GLX" not in text and "Globex" not in text
    assert "Alice" in text  # an admin to ask for a new code
    assert "Standort" in text  # in the host's language
    assert SyncLogEntry.objects.filter(action="held").count() == 1

    # Touching the event again (still wrong) sends nothing new.
    google_fake.update_event(BOB, event["id"], description="still wrong")
    sync(bob_calendar)
    assert len(smtp_sink.messages_to(BOB)) == 1

    google_fake.update_event(BOB, event["id"], location="#MUC")
    sync(bob_calendar)
    sync(bob_calendar)
    appointment.refresh_from_db()
    assert not appointment.is_held and appointment.location == munich
    for guest in GUESTS:
        assert len(smtp_sink.messages_to(guest)) == 1  # the invitation, once
    assert len(smtp_sink.messages_to(BOB)) == 1


def test_a_corrected_code_before_delivery_cancels_the_host_notice(
    google_fake, bob_calendar, sync, munich, django_capture_on_commit_callbacks, mailoutbox
):
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = False  # keep the outbox row queued until we deliver by hand
    try:
        event = create(google_fake, location="#MUX")
        sync(bob_calendar)
        google_fake.update_event(BOB, event["id"], location="#MUC")
        sync(bob_calendar)
    finally:
        HUEY.immediate = True
    from portier.outbox.delivery import deliver_due

    deliver_due()
    notice = Notification.objects.get(kind="host-invalid-code")
    assert notice.status == "skipped" and "corrected" in notice.last_error
    assert not [m for m in mailoutbox if m.to == [BOB]]


def test_a_code_changed_in_the_calendar_sends_one_update_with_the_new_address(
    google_fake, bob_calendar, sync, smtp_sink, munich, acme_hq
):
    event = create(google_fake, location="ANHQ")
    sync(bob_calendar)
    assert Appointment.objects.get().location == acme_hq
    smtp_sink.clear()
    google_fake.update_event(BOB, event["id"], location="MUC")
    sync(bob_calendar)
    sync(bob_calendar)
    for guest in GUESTS:
        [update] = smtp_sink.messages_to(guest)
        assert "Leopoldstr. 50" in update.get_body(("plain",)).get_content()


def test_an_admin_code_change_leaves_placed_visits_where_they_are(
    google_fake, bob_calendar, sync, smtp_sink, munich
):
    event = create(google_fake, location="#MUC")
    sync(bob_calendar)
    update_location(location=munich, code="MUN")
    sync(bob_calendar)  # nothing changed in the calendar: nothing moves
    appointment = Appointment.objects.get()
    assert appointment.location == munich and not appointment.is_held
    # The event changes later and still carries the removed code: now it is invalid.
    google_fake.update_event(BOB, event["id"], summary="Visit (agenda)")
    sync(bob_calendar)
    appointment.refresh_from_db()
    assert appointment.held_code == "MUC"
    assert len(smtp_sink.messages_to(BOB)) == 1


def test_ordinary_location_text_is_not_a_code(google_fake, bob_calendar, sync, smtp_sink):
    create(google_fake, location="Meeting room 3, Friedrichstraße 100")
    sync(bob_calendar)
    appointment = Appointment.objects.get()
    assert not appointment.is_held
    assert appointment.location == bob_calendar.connection.location
