"""The invitation form: as many guest rows as needed, colleagues by address alone, contacts
offered by type-ahead and named from the address book, times that start sensibly."""

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone, translation

from portier.contacts.models import Contact
from portier.visits.models import Appointment, GuestKind
from portier.visits.tests.helpers import appointment, at
from portier.visits.tests.test_manual_invitations import NEW, edit_data, form_data

pytestmark = pytest.mark.django_db


def test_a_new_form_has_one_empty_row_that_can_be_removed_and_a_row_template(bob_client):
    response = bob_client.get(NEW)
    formset = response.context["formset"]
    assert len(formset.forms) == 1 and formset.can_delete
    page = response.content.decode()
    assert '<template id="guest-row-template">' in page
    assert 'name="guests-__prefix__-email"' in page  # the script clones the empty form
    assert 'id="add-guest"' in page and "visits/appointment-form.js" in page


def test_start_and_end_default_to_the_next_full_hour_for_one_hour(bob_client, bob, acme_hq):
    bob.primary_location = acme_hq
    bob.save()
    now = at(days=1, hour=9, minute=17)  # local time at the location, Europe/Berlin
    with time_machine.travel(now, tick=False):
        response = bob_client.get(NEW)
    form = response.context["form"]
    assert form["starts_at"].value() == now.replace(hour=10, minute=0, tzinfo=None)
    assert form["ends_at"].value() == now.replace(hour=11, minute=0, tzinfo=None)
    day = now.strftime("%Y-%m-%d")
    page = response.content.decode()
    assert f'value="{day}T10:00"' in page and f'value="{day}T11:00"' in page


def test_rows_added_on_the_page_are_invited(bob_client, acme_hq):
    data = form_data(acme_hq, guests=[("Ann", "Arbor", "ann@example.org")])
    # What the script does: three more rows cloned from the template, numbered on.
    data["guests-TOTAL_FORMS"] = "6"
    data |= {"guests-5-first_name": "Eve", "guests-5-last_name": "Eder"}
    data["guests-5-email"] = "eve@example.com"
    response = bob_client.post(NEW, data)
    assert response.status_code == 302
    made = Appointment.objects.get()
    assert sorted(made.guests.values_list("email", flat=True)) == [
        "ann@example.org",
        "eve@example.com",
    ]


def test_a_removed_row_is_skipped_even_when_half_filled(bob_client, acme_hq):
    data = form_data(acme_hq, guests=[("Ann", "Arbor", "ann@example.org"), ("Ben", "", "ben@x")])
    data["guests-1-DELETE"] = "on"  # the script ticks the hidden box and hides the row
    assert bob_client.post(NEW, data).status_code == 302
    assert list(Appointment.objects.get().guests.values_list("email", flat=True)) == [
        "ann@example.org"
    ]


def test_a_colleague_needs_only_an_e_mail_address_a_guest_a_name(bob_client, acme_hq):
    data = form_data(acme_hq, guests=[("", "", "dora@acme.example"), ("", "", "zed@example.org")])
    response = bob_client.post(NEW, data)
    assert response.status_code == 200
    forms = response.context["formset"].forms
    assert forms[0].errors == {}
    assert forms[1].errors == {
        "first_name": ["This field is required."],
        "last_name": ["This field is required."],
    }
    data["guests-1-email"] = "ann@example.org"
    data |= {"guests-1-first_name": "Ann", "guests-1-last_name": "Arbor"}
    assert bob_client.post(NEW, data).status_code == 302
    dora = Appointment.objects.get().guests.get(email="dora@acme.example")
    assert dora.kind == GuestKind.COLLEAGUE and dora.name == ""


def test_the_type_ahead_offers_my_contacts_only(bob_client, bob, alice, acme_hq):
    Contact.objects.create(company=bob.company, host=bob, email="ann@example.org", name="Ann A")
    Contact.objects.create(company=alice.company, host=alice, email="zoe@example.com", name="Zoe")
    page = bob_client.get(NEW).content.decode()
    assert 'list="guest-contacts"' in page  # on every e-mail input
    assert '<datalist id="guest-contacts">' in page
    assert '<option value="ann@example.org" data-name="Ann A">Ann A</option>' in page
    assert "zoe@example.com" not in page


def test_a_contact_picked_by_address_alone_is_invited_with_its_name(bob_client, bob, acme_hq):
    Contact.objects.create(
        company=bob.company, host=bob, email="old@friend.example", name="Old Friend"
    )
    data = form_data(acme_hq, guests=[("Ann", "Arbor", "ann@example.org")])
    data["guests-1-email"] = "Old@Friend.example"
    assert bob_client.post(NEW, data).status_code == 302
    made = Appointment.objects.get()
    assert sorted(made.guests.values_list("email", "name")) == [
        ("ann@example.org", "Ann Arbor"),
        ("old@friend.example", "Old Friend"),
    ]


def test_editing_removes_a_guest_and_adds_one_in_a_new_row(bob_client, bob, acme_hq):
    made = appointment(bob, acme_hq)
    data = edit_data(made)
    data["guests-1-DELETE"] = "on"
    data |= {"guests-2-first_name": "Cy", "guests-2-last_name": "Cole"}
    data["guests-2-email"] = "cy@example.com"
    response = bob_client.post(reverse("visits:edit", args=[made.pk]), data)
    assert response.status_code == 302
    current = made.guests.filter(removed_at__isnull=True)
    assert sorted(current.values_list("email", flat=True)) == [
        "ann@example.org",
        "cy@example.com",
    ]


def test_the_form_speaks_german(bob_client, bob):
    bob.language = "de"
    bob.save()
    with translation.override("de"):
        page = bob_client.get(NEW).content.decode()
    assert "Gast hinzufügen" in page and "Entfernen" in page
    assert "brauchen nur ihre E-Mail-Adresse" in page


def test_the_default_start_is_the_next_hour_at_the_only_location_not_in_the_servers_zone(
    bob_client, acme_hq
):
    """Regression: without a primary location the default was the next full hour in the
    server's zone, which at the location (placed east of it) could already be past."""
    acme_hq.time_zone = "Asia/Tokyo"
    acme_hq.save()
    response = bob_client.get(NEW)
    form = response.context["form"]
    assert form["location"].value() == acme_hq.pk  # the company's only location
    start = form["starts_at"].value()
    data = form_data(acme_hq)
    data["starts_at"] = start.strftime("%Y-%m-%dT%H:%M")
    data["ends_at"] = form["ends_at"].value().strftime("%Y-%m-%dT%H:%M")
    assert bob_client.post(NEW, data).status_code == 302
    assert Appointment.objects.get().starts_at > timezone.now()
