"""The guest's page: pre-register (name, company, phone, house rules) or decline the visit."""

import pytest
from django.test import Client
from django.urls import reverse

from portier.checkin.notices import HOST_GUEST_DECLINED
from portier.invitations.kinds import Kind
from portier.invitations.tests.helpers import future, rows, subject, timing
from portier.outbox.models import Status
from portier.visits.models import Guest
from portier.visits.services import GuestInfo, create_appointment, update_appointment

pytestmark = pytest.mark.django_db


def invite(host, location, *, email="ann@example.org", name="Ann Arbor", start=None):
    appointment, _change = create_appointment(
        company=host.company,
        host=host,
        location=location,
        title="Contract signing",
        timing=timing(start or future()),
        guests=[GuestInfo(email, name)],
    )
    return appointment, appointment.guests.get(email=email)


def page(guest):
    return reverse("invitations:visit", args=[guest.token])


def register(client, guest, **fields):
    data = {"action": "register", "reg-name": "Ann Arbor", "reg-company_name": "", "reg-phone": ""}
    data.update({f"reg-{k}": v for k, v in fields.items()})
    return client.post(page(guest), data)


def test_a_guest_corrects_their_name_and_adds_company_and_phone(bob, acme_hq):
    appointment, guest = invite(bob, acme_hq, name="ann arbor")
    client = Client(enforce_csrf_checks=True)
    shown = client.get(page(guest))
    assert "Register before your visit" in shown.content.decode()
    token = client.cookies["csrftoken"].value

    response = client.post(
        page(guest),
        {
            "action": "register",
            "reg-name": "  Dr. Ann   Arbor ",
            "reg-company_name": "Arbor & Sons",
            "reg-phone": "+49 30 1234",
            "csrfmiddlewaretoken": token,
        },
    )

    assert response.status_code == 302
    guest.refresh_from_db()
    assert (guest.name, guest.company_name, guest.phone) == (
        "Dr. Ann Arbor",
        "Arbor & Sons",
        "+49 30 1234",
    )
    assert guest.registered_at is not None and guest.rules_accepted_at is None
    html = client.get(page(guest)).content.decode()
    assert "You are registered" in html and "Arbor &amp; Sons" in html


def test_the_guest_page_refuses_a_post_without_the_csrf_token(bob, acme_hq):
    _appointment, guest = invite(bob, acme_hq)
    client = Client(enforce_csrf_checks=True)
    response = client.post(page(guest), {"action": "register", "reg-name": "Mallory"})
    assert response.status_code == 403
    guest.refresh_from_db()
    assert guest.name == "Ann Arbor" and guest.registered_at is None


def test_house_rules_must_be_accepted_in_the_guests_language(bob, acme_hq):
    acme_hq.house_rules_en = "Wear a helmet."
    acme_hq.house_rules_de = "Helm tragen."
    acme_hq.save()
    _appointment, guest = invite(bob, acme_hq)
    guest.language = "de"
    guest.save()
    client = Client()
    html = client.get(page(guest)).content.decode()
    assert "Helm tragen." in html and "Wear a helmet." not in html

    refused = register(client, guest)
    assert refused.status_code == 200
    assert "Bitte akzeptieren Sie die Hausordnung" in refused.content.decode()
    guest.refresh_from_db()
    assert guest.registered_at is None

    assert register(client, guest, accept_rules="on").status_code == 302
    guest.refresh_from_db()
    assert guest.registered_at is not None and guest.rules_accepted_at is not None


def test_a_calendar_sync_keeps_the_name_a_guest_corrected(bob, acme_hq):
    appointment, guest = invite(bob, acme_hq, name="ann arbor")
    register(Client(), guest, name="Ann Arbor-Smith")
    update_appointment(
        appointment=appointment,
        title="Contract signing",
        timing=timing(future()),
        guests=[GuestInfo("ann@example.org", "ann arbor")],
    )
    guest.refresh_from_db()
    assert guest.name == "Ann Arbor-Smith"


def test_a_declining_guest_tells_the_host_and_gets_no_further_update(
    bob, acme_hq, smtp_sink, django_capture_on_commit_callbacks
):
    bob.language = "de"
    bob.save()
    with django_capture_on_commit_callbacks(execute=True):
        appointment, guest = invite(bob, acme_hq)
    assert [m["To"] for m in smtp_sink.messages] == ["Ann Arbor <ann@example.org>"]
    smtp_sink.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(page(guest), {"action": "decline"})
    assert response.status_code == 302

    to_host = smtp_sink.messages_to(bob.email)
    assert len(to_host) == 1
    assert subject(to_host[0]) == "Ann Arbor hat „Contract signing“ abgesagt"
    assert "ann@example.org" in to_host[0].get_body(("plain",)).get_content()
    with django_capture_on_commit_callbacks(execute=True):
        update_appointment(
            appointment=appointment,
            title="Contract signing (moved)",
            timing=timing(future(hour=14)),
            guests=[GuestInfo("ann@example.org", "Ann Arbor")],
        )
    assert smtp_sink.messages_to("ann@example.org") == []
    update = rows(kind=Kind.UPDATE, guest=guest)
    assert [(r.status, r.last_error) for r in update] == [
        (Status.SKIPPED, "the guest declined this date")
    ]
    html = Client().get(page(guest)).content.decode()
    assert "You declined this visit" in html and "check-in-code" not in html
    # Declining twice tells the host once.
    Client().post(page(guest), {"action": "decline"})
    assert len(rows(kind=HOST_GUEST_DECLINED)) == 1


def test_a_declined_guest_is_still_told_when_the_appointment_is_cancelled(
    bob, acme_hq, smtp_sink, django_capture_on_commit_callbacks
):
    from portier.visits.services import cancel_appointment

    with django_capture_on_commit_callbacks(execute=True):
        appointment, guest = invite(bob, acme_hq)
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(page(guest), {"action": "decline"})
    smtp_sink.clear()
    with django_capture_on_commit_callbacks(execute=True):
        cancel_appointment(appointment=appointment)
    assert len(smtp_sink.messages_to("ann@example.org")) == 1


def test_registration_is_refused_once_the_visit_is_over_or_cancelled(bob, acme_hq):
    from portier.visits.services import cancel_appointment

    appointment, guest = invite(bob, acme_hq)
    cancel_appointment(appointment=appointment)
    response = register(Client(), guest, name="Someone Else")
    assert response.status_code == 200
    assert Guest.objects.get(pk=guest.pk).name == "Ann Arbor"
    assert "Register before your visit" not in response.content.decode()


def test_a_location_that_requires_pre_registration_says_so_on_the_guest_page(bob, acme_hq):
    acme_hq.requires_preregistration = True
    acme_hq.save()
    _appointment, guest = invite(bob, acme_hq)
    html = Client().get(page(guest)).content.decode()
    assert "asks every guest to register before checking in" in html


def test_the_host_sees_the_guests_corrections_on_the_appointment_page(bob, bob_client, acme_hq):
    appointment, guest = invite(bob, acme_hq)
    register(Client(), guest, name="Ann Arbor-Smith", company_name="Arbor GmbH", phone="+49 1")
    html = bob_client.get(reverse("visits:detail", args=[appointment.pk])).content.decode()
    assert "Ann Arbor-Smith" in html and "Arbor GmbH" in html and "pre-registered" in html


def test_a_declined_guest_taken_off_and_added_again_is_invited_anew(
    bob, acme_hq, smtp_sink, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        appointment, guest = invite(bob, acme_hq)
    with django_capture_on_commit_callbacks(execute=True):
        Client().post(page(guest), {"action": "decline"})
    keep = {"title": "Contract signing", "timing": timing(future())}
    with django_capture_on_commit_callbacks(execute=True):
        update_appointment(appointment=appointment, guests=[], **keep)
    smtp_sink.clear()
    with django_capture_on_commit_callbacks(execute=True):
        update_appointment(
            appointment=appointment, guests=[GuestInfo("ann@example.org", "Ann Arbor")], **keep
        )
    guest.refresh_from_db()
    assert guest.declined_at is None
    (again,) = smtp_sink.messages_to("ann@example.org")
    assert subject(again).startswith("Invitation")
