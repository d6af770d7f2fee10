"""A new appointment: exactly one invitation per guest, with everything a guest needs."""

from datetime import timedelta

import pytest
from django.test import Client

from portier.invitations import ics
from portier.invitations.kinds import Kind
from portier.invitations.services import guest_statuses
from portier.invitations.tests.helpers import (
    GUEST_EMAILS,
    GUESTS,
    event_of,
    future,
    parts,
    read_qr,
    rows,
    subject,
    timing,
)
from portier.outbox.models import Status
from portier.visits.models import Guest, GuestKind
from portier.visits.services import GuestInfo, create_appointment

pytestmark = pytest.mark.django_db


def create(host, location, *, guests=GUESTS, title="Quarterly review", start=None, **fields):
    appointment, _change = create_appointment(
        company=host.company,
        host=host,
        location=location,
        title=title,
        timing=timing(start or future()),
        guests=list(guests),
        **fields,
    )
    return appointment


def test_three_guests_and_nobody_else_get_an_invitation(
    bob, acme_hq, smtp_sink, settings, django_capture_on_commit_callbacks
):
    others = [
        GuestInfo("dora@acme.example", "Dora", kind=GuestKind.COLLEAGUE),
        # Misclassified ones: the outbox still refuses them.
        GuestInfo("eve@acme.example", "Eve"),
        GuestInfo("room-4@resource.calendar.google.com", "Room 4"),
        GuestInfo(bob.email, "Bob"),
        GuestInfo(settings.PORTIER_INVITE_ADDRESS),
        GuestInfo(settings.PORTIER_INVITE_ADDRESS.replace("@", "+anhq@")),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        appointment = create(bob, acme_hq, guests=GUESTS + others)

    assert sorted(r.rcpt_tos[0] for r in smtp_sink.received) == sorted(GUEST_EMAILS)
    sent = rows(appointment=appointment)
    assert [(r.kind, r.status) for r in sent] == [(Kind.INVITATION, Status.SENT)] * 3
    statuses = guest_statuses(appointment)
    assert set(statuses) == set(GUEST_EMAILS)
    assert all(s.status == Status.SENT and s.sent_at for s in statuses.values())


def test_the_invitation_has_text_html_qr_code_and_ics(
    bob, acme_hq, smtp_sink, settings, django_capture_on_commit_callbacks
):
    start = future(days=6, hour=14, minute=30)
    with django_capture_on_commit_callbacks(execute=True):
        appointment = create(bob, acme_hq, guests=GUESTS[:1], start=start)
    guest = Guest.objects.get(appointment=appointment, email="ann@example.org")
    row = rows(appointment=appointment)[0]
    (message,) = smtp_sink.messages

    assert message["Message-ID"] == row.message_id
    assert message["Auto-Submitted"] == "auto-generated"
    assert "bob@acme.example" in message["Reply-To"]
    assert "ann@example.org" in message["To"]
    assert subject(message).startswith("Invitation: Quarterly review")
    text, html, calendar_data, images = parts(message)
    zone_name = start.tzname()
    for body in (text, html):
        assert "Quarterly review" in body
        assert f"14:30–15:30 (Europe/Berlin, {zone_name})" in body
        assert "1 hour" in body
        assert "Acme HQ" in body
        assert "Friedrichstraße 100" in body and "10117 Berlin" in body
        assert "https://www.openstreetmap.org/search?query=" in body
        assert "Bob" in body and "bob@acme.example" in body
        assert guest.check_in_code in body
        assert f"{settings.PORTIER_BASE_URL}/visit/{guest.token}/" in body

    assert 'src="cid:checkin-qr@portier"' in html
    assert read_qr(images["checkin-qr@portier"]) == guest.check_in_code

    calendar, event = event_of(calendar_data)
    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(event["UID"]) == ics.appointment_uid(appointment.pk, "ann@example.org")
    assert event["SEQUENCE"] == 1
    assert event.decoded("DTSTART") == start
    assert event.decoded("DTEND") == start + timedelta(hours=1)
    assert str(event.decoded("DTSTART").tzinfo) == "Europe/Berlin"
    assert "ann@example.org" in str(event["ATTENDEE"])


def test_the_guest_page_shows_the_visit_and_the_check_in_code(bob, acme_hq, smtp_sink):
    appointment = create(bob, acme_hq, guests=GUESTS[:1])
    guest = appointment.guests.get()
    response = Client().get(f"/visit/{guest.token}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Quarterly review" in page and guest.check_in_code in page and "<svg" in page
    assert response["Referrer-Policy"] == "same-origin"  # never to another site
    assert Client().get("/visit/not-a-token/").status_code == 404


def test_nothing_for_a_past_or_held_appointment(bob, acme_hq, smtp_sink):
    create(bob, acme_hq, start=future(days=-2))
    create(bob, acme_hq, held_code="NOPE")
    assert rows() == []


def test_a_manual_appointment_includes_its_description(
    bob, acme_hq, smtp_sink, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        create(bob, acme_hq, guests=GUESTS[:1], description="Bring your passport.\nSecond line")
    text, html, _ics, _images = parts(smtp_sink.messages[0])
    assert "Bring your passport." in text and "Bring your passport." in html
