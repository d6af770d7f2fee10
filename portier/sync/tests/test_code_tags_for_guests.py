"""A location-code tag is for Portier, not for guests; the room typed next to it is for them.
Google fake -> sync -> outbox -> SMTP sink."""

from datetime import timedelta

import pytest

from portier.locations.codes import without_code
from portier.testing.factories import LocationFactory
from portier.testing.sync_fixtures import BOB, attendees, soon
from portier.visits.models import Appointment

GUEST = "ann@ext.example"


@pytest.fixture
def munich(acme):
    return LocationFactory(company=acme, name="Munich office", code="MUC1")


def create(fake, *, title, location):
    start = soon(days=5)
    return fake.create_event(
        BOB,
        summary=title,
        start=start,
        end=start + timedelta(hours=1),
        time_zone="Europe/Berlin",
        location=location,
        attendees=attendees(GUEST),
    )


def test_the_guest_reads_the_title_without_the_code_and_the_room_next_to_it(
    google_fake, bob_calendar, sync, smtp_sink, munich
):
    create(google_fake, title="[MUC1] Workshop", location="#MUC1 Raum 4.12")
    sync(bob_calendar)
    appointment = Appointment.objects.get()
    assert appointment.location == munich
    assert (appointment.title, appointment.location_text) == ("Workshop", "Raum 4.12")
    [message] = smtp_sink.messages_to(GUEST)
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "MUC1" not in message["Subject"] and "Workshop" in message["Subject"]
    assert "MUC1" not in text and "MUC1" not in html
    assert "Munich office, Raum 4.12" in text and "Raum 4.12" in html
    ics = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    calendar = ics.get_content()
    assert "SUMMARY:Workshop" in calendar and "Raum 4.12" in calendar and "MUC1" not in calendar


def test_a_moved_room_is_an_update_the_guest_can_read(
    google_fake, bob_calendar, sync, smtp_sink, munich
):
    event = create(google_fake, title="Workshop", location="MUC1")
    sync(bob_calendar)
    assert Appointment.objects.get().location_text == ""
    google_fake.update_event(BOB, event["id"], location="[MUC1] Raum 5.01")
    sync(bob_calendar)
    invitation, update = smtp_sink.messages_to(GUEST)
    text = update.get_body(("plain",)).get_content()
    assert "Raum 5.01" in text and "MUC1" not in text


@pytest.mark.parametrize(
    ("text", "code", "expected"),
    [
        ("[MUC1] Workshop", "MUC1", "Workshop"),
        ("Workshop #muc1", "MUC1", "Workshop"),
        ("#MUC1 Raum 4.12", "MUC1", "Raum 4.12"),
        ("MUC1", "MUC1", ""),
        ("[Interview] with [MUC1]", "MUC1", "[Interview] with"),
        ("https://example.org/#MUC1 Raum", "MUC1", "https://example.org/#MUC1 Raum"),
        ("Raum 4.12", "", "Raum 4.12"),
    ],
)
def test_only_the_code_tag_is_taken_out(text, code, expected):
    assert without_code(text, code) == expected
