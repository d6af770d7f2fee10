"""The kiosk: a secret link per location (hashed, revocable), guests check themselves in and out,
pre-registering and accepting the house rules first where the location asks for it."""

import hashlib
import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from portier.checkin.models import Kiosk, Via, Visit
from portier.invitations.tests.helpers import future, subject, timing
from portier.testing.factories import LocationFactory
from portier.visits.services import GuestInfo, create_appointment

pytestmark = pytest.mark.django_db
START = future(days=3, hour=10)


@pytest.fixture
def guest(bob, acme_hq):
    appointment, _change = create_appointment(
        company=bob.company,
        host=bob,
        location=acme_hq,
        title="Site tour",
        timing=timing(START),
        guests=[GuestInfo("ann@example.org", "Ann Arbor")],
    )
    return appointment.guests.get()


def make_kiosk(alice_client, location, name="Entrance tablet") -> str:
    response = alice_client.post(reverse("checkin:kiosks", args=[location.pk]), {"name": name})
    assert response.status_code == 200
    link = re.search(r'<code class="copy kiosk-link">([^<]+)</code>', response.content.decode())
    return link.group(1)


def path_of(link: str) -> str:
    return "/" + link.split("/", 3)[3]


def kiosk_client() -> tuple[Client, callable]:
    """A tablet: no login, CSRF enforced; post(url, data) adds the cookie's token."""
    client = Client(enforce_csrf_checks=True)

    def post(url, data):
        if "csrftoken" not in client.cookies:
            client.get(url)
        return client.post(url, {**data, "csrfmiddlewaretoken": client.cookies["csrftoken"].value})

    return client, post


def test_an_admin_creates_a_kiosk_whose_secret_is_stored_hashed(alice_client, acme_hq):
    link = make_kiosk(alice_client, acme_hq)
    secret = link.rstrip("/").rsplit("/", 1)[1]
    kiosk = Kiosk.objects.get()
    assert kiosk.secret_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert kiosk.location == acme_hq and kiosk.name == "Entrance tablet"
    listing = alice_client.get(reverse("checkin:kiosks", args=[acme_hq.pk])).content.decode()
    assert "Entrance tablet" in listing and secret not in listing  # shown once only
    assert Client().get(path_of(link)).status_code == 200


def test_a_wrong_or_revoked_secret_gets_404(alice_client, acme_hq):
    link = make_kiosk(alice_client, acme_hq)
    assert Client().get(path_of(link)[:-3] + "xx/").status_code == 404
    kiosk = Kiosk.objects.get()
    response = alice_client.post(reverse("checkin:kiosk_revoke", args=[acme_hq.pk, kiosk.pk]))
    assert response.status_code == 302
    assert Client().get(path_of(link)).status_code == 404
    assert Client().post(path_of(link), {"action": "find", "code": "X"}).status_code == 404


def test_a_guest_checks_in_by_typing_the_code_and_the_host_is_told(
    alice_client, acme_hq, guest, bob, smtp_sink, django_capture_on_commit_callbacks
):
    url = path_of(make_kiosk(alice_client, acme_hq))
    client, post = kiosk_client()
    with time_machine.travel(START - timedelta(minutes=10), tick=False):
        confirm = post(url, {"action": "find", "code": guest.check_in_code.lower()})
        assert confirm.status_code == 200
        assert "Hello, Ann Arbor" in confirm.content.decode()
        assert not Visit.objects.exists()
        with django_capture_on_commit_callbacks(execute=True):
            done = post(url, {"action": "confirm", "code": guest.check_in_code})
    html = done.content.decode()
    assert "Your host has been told" in html
    # Back to the start after a few seconds (kiosk-focus.js), without a meta refresh (WCAG 2.2.1).
    assert 'data-back-after="8" data-back-to="?lang=en"' in html
    assert "http-equiv" not in html
    visit = Visit.objects.get(guest=guest)
    assert (visit.checked_in_via, visit.kiosk, visit.location) == (
        Via.KIOSK,
        Kiosk.objects.get(),
        acme_hq,
    )
    to_host = smtp_sink.messages_to(bob.email)
    assert len(to_host) == 1 and "Ann Arbor" in subject(to_host[0])


def test_the_kiosk_runs_the_required_pre_registration_with_the_house_rules(
    alice_client, acme_hq, guest
):
    acme_hq.requires_preregistration = True
    acme_hq.house_rules_en = "No photos in the lab."
    acme_hq.save()
    url = path_of(make_kiosk(alice_client, acme_hq))
    _client, post = kiosk_client()
    with time_machine.travel(START, tick=False):
        form = post(url, {"action": "find", "code": guest.check_in_code}).content.decode()
        assert "No photos in the lab." in form and 'name="reg-name"' in form
        refused = post(
            url, {"action": "confirm", "code": guest.check_in_code, "reg-name": "Ann Arbor"}
        )
        assert "Please accept the house rules" in refused.content.decode()
        assert not Visit.objects.exists()
        done = post(
            url,
            {
                "action": "confirm",
                "code": guest.check_in_code,
                "reg-name": "Ann Arbor-Smith",
                "reg-company_name": "Arbor",
                "reg-accept_rules": "on",
            },
        )
    assert "Your host has been told" in done.content.decode()
    guest.refresh_from_db()
    assert guest.name == "Ann Arbor-Smith" and guest.company_name == "Arbor"
    assert guest.registered_at is not None and guest.rules_accepted_at is not None
    assert Visit.objects.filter(guest=guest).exists()


def test_rules_are_accepted_at_the_kiosk_even_without_required_pre_registration(
    alice_client, acme_hq, guest
):
    acme_hq.house_rules_en = "Helmets on."
    acme_hq.save()
    url = path_of(make_kiosk(alice_client, acme_hq))
    _client, post = kiosk_client()
    with time_machine.travel(START, tick=False):
        refused = post(url, {"action": "confirm", "code": guest.check_in_code})
        assert "Please accept the house rules to check in." in refused.content.decode()
        post(url, {"action": "confirm", "code": guest.check_in_code, "rules-accept_rules": "on"})
    guest.refresh_from_db()
    assert guest.rules_accepted_at is not None and Visit.objects.filter(guest=guest).exists()


def test_a_guest_checks_out_at_the_kiosk(alice_client, acme_hq, guest):
    url = path_of(make_kiosk(alice_client, acme_hq))
    _client, post = kiosk_client()
    with time_machine.travel(START, tick=False):
        post(url, {"action": "confirm", "code": guest.check_in_code})
    with time_machine.travel(START + timedelta(minutes=50), tick=False):
        done = post(url, {"action": "out", "code": guest.check_in_code})
    assert "You are checked out" in done.content.decode()
    visit = Visit.objects.get(guest=guest)
    assert visit.checked_out_via == Via.KIOSK
    assert visit.checked_out_at == START + timedelta(minutes=50)


def test_a_code_for_another_location_or_day_is_refused_with_a_sentence(
    alice_client, acme, acme_hq, guest
):
    warehouse = LocationFactory(company=acme, name="Warehouse")
    url = path_of(make_kiosk(alice_client, warehouse))
    _client, post = kiosk_client()
    with time_machine.travel(START, tick=False):
        html = post(url, {"action": "find", "code": guest.check_in_code}).content.decode()
    assert "Acme HQ" in html and "not at Warehouse" in html
    assert not Visit.objects.exists()
    unknown = post(url, {"action": "find", "code": "ZZZZZZZZ"}).content.decode()
    assert "No guest has the code ZZZZZZZZ" in unknown


def test_the_kiosk_refuses_a_post_without_csrf_token(alice_client, acme_hq, guest):
    url = path_of(make_kiosk(alice_client, acme_hq))
    client = Client(enforce_csrf_checks=True)
    with time_machine.travel(START, tick=False):
        response = client.post(url, {"action": "confirm", "code": guest.check_in_code})
    assert response.status_code == 403
    assert not Visit.objects.exists()


def test_the_kiosk_speaks_the_companys_language_and_switches(alice_client, acme, acme_hq):
    acme.language = "de"
    acme.save()
    url = path_of(make_kiosk(alice_client, acme_hq))
    german = Client().get(url).content.decode()
    assert "Ich komme an" in german and 'href="?lang=en"' in german
    english = Client().get(url + "?lang=en").content.decode()
    assert "I am arriving" in english and 'lang="en"' in english


def test_hosts_may_not_manage_kiosks_and_carol_gets_404(bob_client, carol_client, acme_hq):
    url = reverse("checkin:kiosks", args=[acme_hq.pk])
    assert bob_client.get(url).status_code == 403
    assert carol_client.get(url).status_code == 404
    assert carol_client.post(url, {"name": "Mine now"}).status_code == 404
    assert not Kiosk.objects.exists()


def test_carol_cannot_revoke_acmes_kiosk(alice_client, carol_client, acme_hq):
    link = make_kiosk(alice_client, acme_hq)
    kiosk = Kiosk.objects.get()
    response = carol_client.post(reverse("checkin:kiosk_revoke", args=[acme_hq.pk, kiosk.pk]))
    assert response.status_code == 404
    assert Client().get(path_of(link)).status_code == 200


def test_a_kiosk_does_not_check_out_a_guest_checked_in_elsewhere(
    alice_client, acme, acme_hq, guest
):
    warehouse = LocationFactory(company=acme, name="Warehouse")
    here = path_of(make_kiosk(alice_client, acme_hq))
    there = path_of(make_kiosk(alice_client, warehouse, name="Warehouse door"))
    _client, post = kiosk_client()
    with time_machine.travel(START, tick=False):
        post(here, {"action": "confirm", "code": guest.check_in_code})
        refused = post(there, {"action": "out", "code": guest.check_in_code}).content.decode()
    assert "checked in at Acme HQ, not at Warehouse" in refused
    assert Visit.objects.get(guest=guest).checked_out_at is None
