"""Every invited guest becomes a contact of the inviting host; a host sees only their own."""

import pytest
from django.urls import reverse

from portier.contacts.models import Contact
from portier.visits.models import GuestKind
from portier.visits.services import GuestInfo, update_appointment
from portier.visits.tests.helpers import appointment, synced

pytestmark = pytest.mark.django_db


def emails(user) -> list[str]:
    return sorted(Contact.objects.for_host(user).values_list("email", flat=True))


def test_manual_and_synced_guests_become_contacts_of_their_host(alice, bob, acme_hq):
    appointment(
        bob,
        acme_hq,
        guests=[
            GuestInfo("ann@example.org", "Ann Arbor"),
            GuestInfo("dora@acme.example", "Dora", kind=GuestKind.COLLEAGUE),
        ],
    )
    synced(alice, acme_hq, guests=[GuestInfo("zoe@example.com", "Zoe")])
    assert emails(bob) == ["ann@example.org"]  # colleagues are not contacts
    assert emails(alice) == ["zoe@example.com"]


def test_a_guest_added_later_becomes_a_contact_once(bob, acme_hq):
    made = appointment(bob, acme_hq, guests=[GuestInfo("ann@example.org", "")])
    update_appointment(
        appointment=made,
        guests=[GuestInfo("ann@example.org", "Ann Arbor"), GuestInfo("ben@example.net", "Ben")],
    )
    appointment(bob, acme_hq, guests=[GuestInfo("ann@example.org", "Ann A.")])
    contacts = {c.email: c.name for c in Contact.objects.for_host(bob)}
    assert contacts == {"ann@example.org": "Ann Arbor", "ben@example.net": "Ben"}


def test_list_and_page_show_only_my_contacts_and_their_appointments(
    bob_client, alice, bob, acme_hq
):
    appointment(bob, acme_hq, title="Bob meets Ann", guests=[GuestInfo("ann@example.org", "Ann")])
    appointment(alice, acme_hq, title="Alice meets Ann", guests=[GuestInfo("ann@example.org")])
    appointment(alice, acme_hq, guests=[GuestInfo("alices@example.org", "Alice's guest")])
    body = bob_client.get(reverse("contacts:list")).content.decode()
    assert "ann@example.org" in body and "alices@example.org" not in body
    mine = Contact.objects.get(host=bob)
    page = bob_client.get(reverse("contacts:detail", args=[mine.pk])).content.decode()
    assert "Bob meets Ann" in page and "Alice meets Ann" not in page
    alices = Contact.objects.get(host=alice, email="alices@example.org")
    assert bob_client.get(reverse("contacts:detail", args=[alices.pk])).status_code == 404


def test_search_contacts(bob_client, bob, acme_hq):
    appointment(
        bob,
        acme_hq,
        guests=[GuestInfo("ann@example.org", "Ann Arbor"), GuestInfo("ben@example.net", "Ben")],
    )
    body = bob_client.get(reverse("contacts:list"), {"q": "arbor"}).content.decode()
    assert "ann@example.org" in body and "ben@example.net" not in body


def test_carol_gets_404_for_acme_contacts(carol_client, bob, acme_hq):
    appointment(bob, acme_hq)
    for contact in Contact.objects.all():
        assert carol_client.get(reverse("contacts:detail", args=[contact.pk])).status_code == 404
    assert "ann@example.org" not in carol_client.get(reverse("contacts:list")).content.decode()
