"""The front desk: today's guests at a location, by the location's clock, with their state."""

from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.urls import reverse

from portier.checkin.services import check_in
from portier.testing.factories import LocationFactory
from portier.visits.models import GuestKind
from portier.visits.services import GuestInfo, cancel_appointment
from portier.visits.tests.helpers import appointment, at

pytestmark = pytest.mark.django_db


def test_todays_guests_with_time_host_and_state_in_the_location_zone(
    alice_client, alice, bob, acme_hq
):
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
    for absent in ("Dora", "Tomorrow"):
        assert absent not in rows
    # Called-off visits are listed with their state, and without a check-in button.
    assert 'state-row-cancelled" data-guest' in rows and 'state-row-held" data-guest' in rows
    assert rows.count('class="badge state-expected"') == 2


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


def test_front_desk_polls_and_keeps_the_search(alice_client, acme_hq):
    url = reverse("checkin:front_desk", args=[acme_hq.pk])
    assert 'hx-trigger="every 30s"' in alice_client.get(url).content.decode()
    partial = alice_client.get(url, {"q": "ann"}, HTTP_HX_REQUEST="true").content.decode()
    assert partial.startswith('<div id="front-desk"')
    assert f'hx-get="{url}?q=ann"' in partial


def test_search_by_name_company_or_host(alice_client, alice, bob, acme_hq):
    url = reverse("checkin:front_desk", args=[acme_hq.pk])
    day = at(days=2, hour=0)
    with time_machine.travel(day.replace(hour=8), tick=False):
        mine = appointment(
            alice, acme_hq, start=day.replace(hour=10), guests=[GuestInfo("a@x.org", "Ann")]
        )
        appointment(bob, acme_hq, start=day.replace(hour=11), guests=[GuestInfo("c@y.org", "Cem")])
        ann = mine.guests.get()
        ann.company_name = "Initech"
        ann.save()
        by_company = alice_client.get(url, {"q": "initech"}).content.decode()
        by_host = alice_client.get(url, {"q": "bob"}).content.decode()
        nothing = alice_client.get(url, {"q": "zebra"}).content.decode()
    assert "Ann" in by_company and "Cem" not in by_company
    assert "Cem" in by_host and ">Ann<" not in by_host
    assert "No guest today matches your search." in nothing


def test_the_list_is_paginated(alice_client, alice, acme_hq):
    url = reverse("checkin:front_desk", args=[acme_hq.pk])
    day = at(days=2, hour=0)
    guests = [GuestInfo(f"g{n:02}@example.org", f"Guest {n:02}") for n in range(55)]
    with time_machine.travel(day.replace(hour=8), tick=False):
        appointment(alice, acme_hq, start=day.replace(hour=10), guests=guests)
        first = alice_client.get(url).content.decode()
        second = alice_client.get(url, {"page": 2}).content.decode()
    assert "Guest 49" in first and "Guest 50" not in first
    assert "Guest 50" in second and "Guest 54" in second and "Page 2 of 2" in second


def test_the_page_costs_the_same_few_queries_for_many_guests(
    alice_client, alice, acme_hq, django_assert_max_num_queries
):
    url = reverse("checkin:front_desk", args=[acme_hq.pk])
    day = at(days=2, hour=0)
    guests = [GuestInfo(f"g{n:02}@example.org", f"Guest {n:02}") for n in range(40)]
    with time_machine.travel(day.replace(hour=9, minute=45), tick=False):
        made = appointment(alice, acme_hq, start=day.replace(hour=10), guests=guests)
        for guest in made.guests.all()[:20]:
            check_in(guest, location=acme_hq)
        with django_assert_max_num_queries(15):
            body = alice_client.get(url).content.decode()
    assert body.count('class="badge state-checked_in"') == 20
