"""Who works the front desk: admins everywhere, reception at its locations and nothing of the
hosts' own data, hosts not at all (403), outsiders never see it exists (404)."""

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from portier.checkin.access import can_work_front_desk, front_desk_locations
from portier.checkin.models import Visit
from portier.checkin.tests.helpers import at, visit_guest
from portier.companies.models import Role
from portier.testing.factories import LocationFactory

pytestmark = pytest.mark.django_db


def desk_pages(location, guest):
    pk = location.pk
    return {
        "get": [
            reverse("checkin:front_desk", args=[pk]),
            reverse("checkin:walk_in", args=[pk]),
            reverse("checkin:on_site", args=[pk]),
            reverse("checkin:badge", args=[pk, guest.pk]),
        ],
        "post": [
            reverse("checkin:check_in", args=[pk]),
            reverse("checkin:check_out", args=[pk]),
            reverse("checkin:left", args=[pk]),
        ],
    }


def checked_in_guest(bob, location):
    guest = visit_guest(bob, location)
    Visit.objects.create(guest=guest, location=location, checked_in_at=at(days=2, hour=10))
    return guest


def test_carol_an_outsider_gets_404_on_every_front_desk_page(carol_client, bob, acme_hq):
    guest = checked_in_guest(bob, acme_hq)
    pages = desk_pages(acme_hq, guest)
    for url in pages["get"]:
        assert carol_client.get(url).status_code == 404, url
    for url in pages["post"]:
        assert carol_client.post(url, {"guest": guest.pk}).status_code == 404, url
    assert Visit.objects.get().checked_out_at is None


def test_bob_a_host_gets_403_on_the_front_desk(bob_client, bob, acme_hq):
    guest = checked_in_guest(bob, acme_hq)
    pages = desk_pages(acme_hq, guest)
    assert bob_client.get(reverse("checkin:front_desk_index")).status_code == 403
    for url in pages["get"]:
        assert bob_client.get(url).status_code == 403, url
    for url in pages["post"]:
        assert bob_client.post(url, {"guest": guest.pk}).status_code == 403, url
    assert "Front desk" not in bob_client.get(reverse("visits:list")).content.decode()


def test_reception_works_only_the_front_desks_of_its_locations(rita, rita_client, acme, acme_hq):
    munich = LocationFactory(company=acme, name="Munich Lab")
    assert set(front_desk_locations(rita)) == {acme_hq, munich}  # none chosen: every one
    rita.membership.locations.set([munich])
    assert list(front_desk_locations(rita)) == [munich]
    assert not can_work_front_desk(rita, acme_hq)
    assert rita_client.get(reverse("checkin:front_desk", args=[acme_hq.pk])).status_code == 403
    assert rita_client.get(reverse("checkin:front_desk", args=[munich.pk])).status_code == 200
    index = rita_client.get(reverse("checkin:front_desk_index"))
    assert index.url == reverse("checkin:front_desk", args=[munich.pk])


def test_reception_sees_no_hosts_data_and_no_administration(rita_client, alice, bob, acme_hq):
    guest = visit_guest(bob, acme_hq)
    appointment = guest.appointment
    assert rita_client.get(reverse("visits:detail", args=[appointment.pk])).status_code == 404
    assert "Quarterly review" not in rita_client.get(reverse("visits:list")).content.decode()
    for name in ("companies:users", "companies:settings", "locations:list"):
        assert rita_client.get(reverse(name)).status_code == 403, name
    with time_machine.travel(at(days=2, hour=10), tick=False):
        desk = rita_client.get(reverse("checkin:front_desk", args=[acme_hq.pk])).content.decode()
    assert "Ana Lima" in desk  # but today's guests at the desk, yes


def test_reception_api_token_sees_no_hosts_appointments(rita, bob, acme_hq, api_token):
    guest = visit_guest(bob, acme_hq)
    headers = api_token(rita)
    listed = Client().get("/api/v1/appointments", **headers).json()
    one = Client().get(f"/api/v1/appointments/{guest.appointment_id}", **headers)
    assert listed["items"] == [] and one.status_code == 404


def test_admins_invite_reception_for_chosen_locations(alice_client, acme, acme_hq):
    munich = LocationFactory(company=acme, name="Munich Lab")
    response = alice_client.post(
        reverse("companies:users"),
        {
            "email": "rhea@acme.example",
            "name": "Rhea",
            "role": Role.RECEPTION,
            "locations": [munich.pk],
        },
    )
    assert response.status_code == 302
    membership = acme.memberships.get(user__email="rhea@acme.example")
    assert membership.role == Role.RECEPTION
    assert list(membership.locations.all()) == [munich]


def test_admins_change_a_receptionists_front_desks_and_a_host_has_none(
    alice_client, rita, acme, acme_hq
):
    munich = LocationFactory(company=acme, name="Munich Lab")
    url = reverse("companies:user_role", args=[rita.membership.pk])
    alice_client.post(
        url, {"role": Role.RECEPTION, "locations": [munich.pk], "locations-shown": "1"}
    )
    assert list(rita.membership.locations.all()) == [munich]
    assert "Munich Lab" in alice_client.get(reverse("companies:users")).content.decode()
    alice_client.post(url, {"role": Role.HOST})
    rita.membership.refresh_from_db()
    assert rita.membership.role == Role.HOST and not rita.membership.locations.exists()
