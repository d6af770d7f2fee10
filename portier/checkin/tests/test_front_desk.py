"""The front desk: today's expected guests at a location, by the location's clock."""

from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.urls import reverse

from portier.testing.factories import LocationFactory
from portier.visits.models import GuestKind
from portier.visits.services import GuestInfo, cancel_appointment
from portier.visits.tests.helpers import appointment, at

pytestmark = pytest.mark.django_db


def test_todays_guests_with_time_and_host_in_the_location_zone(alice_client, alice, bob, acme_hq):
    url = reverse("checkin:front_desk", args=[acme_hq.pk])  # before travelling: imports
    day = at(days=2, hour=0)  # near: the login session must not expire
    with time_machine.travel(day.replace(hour=7), tick=False):
        appointment(
            bob,
            acme_hq,
            title="Morning",
            start=day.replace(hour=9, minute=30),
            guests=[
                GuestInfo("ann@example.org", "Ann Arbor"),
                GuestInfo("dora@acme.example", "Dora", kind=GuestKind.COLLEAGUE),
            ],
        )
        appointment(
            alice,
            acme_hq,
            title="Late",
            start=day.replace(hour=23, minute=30),  # 21:30 UTC: still today
            guests=[GuestInfo("ben@example.net", "Ben Bauer")],
        )
        appointment(bob, acme_hq, title="Tomorrow", start=day + timedelta(days=1, hours=9))
        called_off = appointment(
            bob, acme_hq, start=day.replace(hour=11), guests=[GuestInfo("x@example.org", "X")]
        )
        cancel_appointment(appointment=called_off)
        appointment(
            bob,
            acme_hq,
            start=day.replace(hour=12),
            guests=[GuestInfo("held@example.org")],
            held_code="NOPE",
        )
        body = alice_client.get(url).content.decode()
    rows = body[body.index("<tbody>") :]
    assert rows.index("Ann Arbor") < rows.index("Ben Bauer")
    assert "09:30–10:30" in rows and "23:30–00:30" in rows
    assert "Bob" in rows and "Alice" in rows
    for absent in ("Dora", "Tomorrow", "x@example.org", "held@example.org"):
        assert absent not in rows


def test_the_day_is_the_locations_day(alice_client, alice, acme):
    tokyo = LocationFactory(company=acme, name="Tokyo", time_zone="Asia/Tokyo")
    url = reverse("checkin:front_desk", args=[tokyo.pk])
    evening = at(days=2, hour=20)  # in Berlin; already the next morning in Tokyo
    tomorrow = (evening + timedelta(days=1)).date()
    with time_machine.travel(evening, tick=False):
        appointment(
            alice,
            tokyo,
            title="Tokyo morning",
            start=datetime.combine(tomorrow, time(10, 0), tokyo.zone),
            guests=[GuestInfo("kenji@example.jp", "Kenji")],
        )
        body = alice_client.get(url).content.decode()
    assert "Kenji" in body and "10:00–11:00" in body


def test_front_desk_index_goes_to_the_primary_location(alice_client, acme_hq):
    response = alice_client.get(reverse("checkin:front_desk_index"))
    assert response.url == reverse("checkin:front_desk", args=[acme_hq.pk])


def test_front_desk_polls(alice_client, acme_hq):
    url = reverse("checkin:front_desk", args=[acme_hq.pk])
    assert 'hx-trigger="every 30s"' in alice_client.get(url).content.decode()
    partial = alice_client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert partial.startswith('<div id="front-desk"')
