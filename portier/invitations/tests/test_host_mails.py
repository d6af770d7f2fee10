"""E-mails to hosts follow the host's language (the profile's, else the browser's), look like
the guest e-mails, and the sandbox mail viewer says they are host e-mails."""

from datetime import timedelta

import pytest
from django.urls import reverse

from portier.companies.models import Role
from portier.companies.services import invite_colleague
from portier.lib.mail import render_mail
from portier.sandbox.models import CaughtMail
from portier.sync import notices
from portier.testing.sync_fixtures import BOB, attendees, soon
from portier.visits.tests.helpers import appointment

USER = {"name": "Bob", "email": BOB}
HOST_TEMPLATES = {
    "invalid-location-code": {
        "host_name": "Bob",
        "event_title": "Visit",
        "event_start": "Mon, 30 Nov 2026, 10:00",
        "code": "MUX",
        "company_name": "Acme",
        "codes": [{"code": "ANHQ", "name": "HQ", "address": "Street 1"}],
        "admins": [{"name": "Alice", "email": "alice@acme.example"}],
        "link": "http://testserver/appointments/1/",
    },
    "reconnect-needed": {"user": USER, "connection": {"account_id": BOB}, "link": "x"},
    "guest-arrived": {
        "recipient_name": "Bob",
        "guest_name": "Ann",
        "guest_company": "Ext",
        "guest_email": "ann@ext.example",
        "location_name": "HQ",
        "time": "10:00",
        "time_zone": "Europe/Berlin",
        "title": "Visit",
        "is_host": True,
        "host_name": "Bob",
        "company": "Acme",
    },
    "guest-declined": {
        "host_name": "Bob",
        "guest_name": "Ann",
        "guest_email": "ann@ext.example",
        "title": "Visit",
        "when": "Mon, 30 Nov 2026, 10:00",
        "link": "x",
    },
    "colleague-invite": {
        "user": USER,
        "invited_by": {"name": "Alice", "email": "alice@acme.example"},
        "company": {"name": "Acme"},
        "link": "x",
    },
}


@pytest.mark.parametrize("name", sorted(HOST_TEMPLATES))
def test_host_emails_are_styled_like_the_guest_emails(name):
    _subject, _text, html = render_mail(name, HOST_TEMPLATES[name], "en")
    _s, _t, guest_html = render_mail(
        "cancellation",
        {"title": "Visit", "when": "x", "company": "Acme", "host_name": "Bob"},
        "en",
    )
    layout = 'style="max-width:600px;width:100%;background:#ffffff;border-radius:6px;'
    assert layout in html and layout in guest_html
    assert "Sent by Portier, your company's visitor management" in html
    assert "Reply to this e-mail to reach" not in html  # that footer is the guests'


def test_a_host_without_a_chosen_language_gets_the_wrong_code_notice_in_the_browsers(
    google_fake, bob_calendar, bob, bob_client, sync, smtp_sink, acme
):
    acme.language = "en"
    acme.save()
    bob.language = ""
    bob.save()
    bob_client.get(reverse("visits:list"), HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9")
    bob.refresh_from_db()
    assert bob.browser_language == "de"
    start = soon(days=4)
    google_fake.create_event(
        BOB,
        summary="Visit",
        start=start,
        end=start + timedelta(hours=1),
        location="#MUX",
        attendees=attendees("ann@ext.example"),
    )
    sync(bob_calendar)
    [notice] = smtp_sink.messages_to(BOB)
    text = notice.get_body(("plain",)).get_content()
    assert "Standort" in text and "location code" not in text


def test_a_host_who_chose_english_gets_english_in_a_german_company(
    google_fake, bob_calendar, bob, sync, smtp_sink, acme
):
    acme.language = "de"
    acme.save()
    bob.language = "en"
    bob.save()
    start = soon(days=4)
    google_fake.create_event(
        BOB,
        summary="Visit",
        start=start,
        end=start + timedelta(hours=1),
        location="#MUX",
        attendees=attendees("ann@ext.example"),
    )
    sync(bob_calendar)
    [notice] = smtp_sink.messages_to(BOB)
    assert "location code MUX" in notice.get_body(("plain",)).get_content()


def test_the_mail_viewer_labels_host_and_guest_emails(
    settings, bob, acme_hq, alice, bob_client, django_capture_on_commit_callbacks
):
    settings.PORTIER_SANDBOX = True
    settings.EMAIL_BACKEND = "portier.sandbox.mail.CatchingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        appointment(bob, acme_hq, title="Guest one")
    visit = appointment(bob, acme_hq, guests=[], held_code="NOPE")
    with django_capture_on_commit_callbacks(execute=True):
        notices.invalid_code(calendar=None, appointment=visit, event=None)
        invite_colleague(company=bob.company, invited_by=alice, email="bob2@acme.example",
                         role=Role.HOST)  # fmt: skip
    notice = CaughtMail.objects.get(recipients=[bob.email])
    page = bob_client.get(reverse("sandbox:mail_detail", args=[notice.pk])).content.decode()
    assert "As the host sees it" in page and "As the guest sees it" not in page
    assert "E-mail to a host" in page
    guest_mail = CaughtMail.objects.filter(recipients=["ann@example.org"]).first()
    page = bob_client.get(reverse("sandbox:mail_detail", args=[guest_mail.pk])).content.decode()
    assert "As the guest sees it" in page and "E-mail to a guest" in page
