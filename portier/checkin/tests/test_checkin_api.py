"""The front desk's API: check-ins, check-outs, on-site; visit states on appointment guests."""

import pytest
import time_machine
from django.test import Client

from portier.checkin.models import Visit
from portier.checkin.notices import HOST_ARRIVAL
from portier.checkin.tests.helpers import at, visit_guest
from portier.outbox.models import Notification
from portier.testing.factories import LocationFactory

pytestmark = pytest.mark.django_db

CHECK_INS, CHECK_OUTS, ON_SITE = "/api/v1/check-ins", "/api/v1/check-outs", "/api/v1/on-site"


def post(headers, url, body):
    return Client().post(url, body, content_type="application/json", **headers)


def test_check_in_by_code_then_again_then_on_site_then_check_out(rita, bob, acme_hq, api_token):
    headers = api_token(rita)
    guest = visit_guest(bob, acme_hq)
    body = {"code": guest.check_in_code.lower(), "location_id": acme_hq.pk}
    with time_machine.travel(at(days=2, hour=9, minute=50), tick=False):
        first = post(headers, CHECK_INS, body)
        again = post(headers, CHECK_INS, body)
        on_site = Client().get(ON_SITE, {"location_id": acme_hq.pk}, **headers)
        out = post(headers, CHECK_OUTS, {"code": guest.check_in_code})
        after = Client().get(ON_SITE, {"location_id": acme_hq.pk}, **headers)
    assert (first.status_code, again.status_code) == (201, 200)
    data = first.json()
    assert data["guest"] == {
        "id": guest.pk,
        "name": "Ana Lima",
        "email": "ana@initech.example",
        "company": "",
    }
    assert data["appointment_id"] == guest.appointment_id
    assert data["checked_in_at"].startswith(at(days=2, hour=8, minute=50).date().isoformat())
    assert again.json() == data
    assert [v["guest"]["id"] for v in on_site.json()] == [guest.pk]
    assert out.status_code == 200 and out.json()["checked_out_at"] is not None
    assert after.json() == []
    assert Notification.objects.filter(kind=HOST_ARRIVAL).count() == 1
    assert Visit.objects.get().checked_in_via == "api"


def test_unknown_code_is_404_and_other_location_day_or_window_is_409(
    alice, bob, acme, acme_hq, api_token
):
    headers = api_token(alice)
    munich = LocationFactory(company=acme, name="Munich Lab")
    guest = visit_guest(bob, acme_hq, start=at(days=2, hour=10))
    tomorrow = visit_guest(bob, acme_hq, start=at(days=3, hour=10), name="Tom Morrow")
    with time_machine.travel(at(days=2, hour=10), tick=False):
        unknown = post(headers, CHECK_INS, {"code": "ZZZZZZZZ", "location_id": acme_hq.pk})
        elsewhere = post(
            headers, CHECK_INS, {"code": guest.check_in_code, "location_id": munich.pk}
        )
        other_day = post(
            headers, CHECK_INS, {"code": tomorrow.check_in_code, "location_id": acme_hq.pk}
        )
        not_in = post(headers, CHECK_OUTS, {"code": guest.check_in_code})
    with time_machine.travel(at(days=2, hour=13, minute=30), tick=False):
        too_late = post(
            headers, CHECK_INS, {"code": guest.check_in_code, "location_id": acme_hq.pk}
        )
    assert unknown.status_code == 404
    assert elsewhere.status_code == 409 and "Acme HQ" in elsewhere.json()["detail"]
    assert "not at Munich Lab" in elsewhere.json()["detail"]
    assert other_day.status_code == 409 and "not today" in other_day.json()["detail"]
    assert too_late.status_code == 409 and "closed at 13:00" in too_late.json()["detail"]
    assert not_in.status_code == 409
    assert not Visit.objects.exists()


def test_hosts_get_403_and_reception_only_at_its_locations(bob, rita, acme, acme_hq, api_token):
    munich = LocationFactory(company=acme, name="Munich Lab")
    rita.membership.locations.set([munich])
    guest = visit_guest(bob, acme_hq)
    body = {"code": guest.check_in_code, "location_id": acme_hq.pk}
    with time_machine.travel(at(days=2, hour=10), tick=False):
        as_host = post(api_token(bob), CHECK_INS, body)
        host_on_site = Client().get(ON_SITE, {"location_id": acme_hq.pk}, **api_token(bob))
        not_hers = post(api_token(rita), CHECK_INS, body)
        hers = Client().get(ON_SITE, {"location_id": munich.pk}, **api_token(rita))
    assert (as_host.status_code, host_on_site.status_code, not_hers.status_code) == (403, 403, 403)
    assert hers.status_code == 200
    assert not Visit.objects.exists()


def test_carol_an_outsider_gets_404_on_every_route(carol, bob, acme_hq, api_token):
    headers = api_token(carol)
    guest = visit_guest(bob, acme_hq)
    with time_machine.travel(at(days=2, hour=10), tick=False):
        check_in = post(
            headers, CHECK_INS, {"code": guest.check_in_code, "location_id": acme_hq.pk}
        )
        check_out = post(headers, CHECK_OUTS, {"code": guest.check_in_code})
        on_site = Client().get(ON_SITE, {"location_id": acme_hq.pk}, **headers)
    assert (check_in.status_code, check_out.status_code, on_site.status_code) == (404, 404, 404)
    assert not Visit.objects.exists()


def test_appointment_guests_carry_their_visit_state(alice, bob, acme_hq, api_token):
    guest = visit_guest(bob, acme_hq)
    headers = api_token(alice)
    url = f"/api/v1/appointments/{guest.appointment_id}"
    before = Client().get(url, **headers).json()["guests"][0]
    with time_machine.travel(at(days=2, hour=10), tick=False):
        post(headers, CHECK_INS, {"code": guest.check_in_code, "location_id": acme_hq.pk})
    after = Client().get(url, **headers).json()["guests"][0]
    assert (before["visit_state"], before["checked_in_at"]) == ("expected", None)
    assert after["visit_state"] == "checked_in" and after["checked_in_at"] is not None
    assert (after["company_name"], after["registered_at"], after["erased"]) == ("", None, False)


def test_appointment_guests_carry_what_they_pre_registered(bob, acme_hq, api_token):
    guest = visit_guest(bob, acme_hq)
    guest.company_name, guest.phone, guest.registered_at = "Initech", "+49 30 1", at(days=1)
    guest.save()
    url = f"/api/v1/appointments/{guest.appointment_id}"
    (listed,) = Client().get(url, **api_token(bob)).json()["guests"]
    assert (listed["company_name"], listed["phone"]) == ("Initech", "+49 30 1")
    assert listed["registered_at"] is not None and listed["declined_at"] is None


def test_the_code_is_bounded(alice, acme_hq, api_token):
    response = post(api_token(alice), CHECK_INS, {"code": "X" * 401, "location_id": acme_hq.pk})
    assert response.status_code == 422
