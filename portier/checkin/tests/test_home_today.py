"""The home page once onboarding is done: today's and the next days' visitors; reception sees
who is expected and who is on site at their locations."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from portier.checkin.models import Via, Visit
from portier.integrations.models import Connection
from portier.invitations.tests.helpers import timing
from portier.testing.factories import LocationFactory
from portier.visits.services import GuestInfo, create_appointment

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 4, 14, 9, 0, tzinfo=BERLIN)


def appointment(host, location, start, guests, title="Visit"):
    made, _change = create_appointment(
        company=host.company,
        host=host,
        location=location,
        title=title,
        timing=timing(start, 60),
        guests=[GuestInfo(email, name) for email, name in guests],
    )
    return made


@pytest.fixture
def onboarded_bob(bob, acme_hq, settings):
    settings.EMAIL_HOST = "mail.acme.example"  # a real mail server: no sandbox mail-viewer step
    bob.primary_location = acme_hq
    bob.save()
    Connection.objects.create(
        company=bob.company, user=bob, provider="google", account_id=bob.email, location=acme_hq
    )
    return bob


@pytest.fixture
def schedule(onboarded_bob, alice, acme, acme_hq):
    warehouse = LocationFactory(company=acme, name="Warehouse")
    with time_machine.travel(NOW - timedelta(days=3), tick=False):
        today = appointment(
            onboarded_bob, acme_hq, NOW + timedelta(hours=1), [("ann@example.org", "Ann")],
            title="Contract signing",
        )  # fmt: skip
        appointment(onboarded_bob, acme_hq, NOW + timedelta(days=2), [("ben@example.org", "Ben")])
        appointment(onboarded_bob, acme_hq, NOW + timedelta(days=9), [("cem@example.org", "Cem")])
        appointment(alice, warehouse, NOW + timedelta(hours=2), [("dan@example.org", "Dan")])
        arrived = appointment(alice, acme_hq, NOW, [("eve@example.org", "Eve")])
    Visit.objects.create(
        guest=arrived.guests.get(), location=acme_hq, checked_in_at=NOW, checked_in_via=Via.DESK
    )
    return today, warehouse


def test_a_host_who_finished_onboarding_sees_the_visitors_of_the_next_days(bob_client, schedule):
    with time_machine.travel(NOW, tick=False):
        html = bob_client.get(reverse("dashboard:home")).content.decode()
    assert 'id="get-started"' not in html
    assert "Your visitors" in html and "Contract signing" in html
    assert "Ann" in html and "Ben" in html  # today and in two days
    assert "Cem" not in html  # nine days away
    assert "Dan" not in html and "Eve" not in html  # alice's guests


def test_a_new_host_still_gets_the_checklist(bob_client, acme_hq):
    html = bob_client.get(reverse("dashboard:home")).content.decode()
    assert 'id="get-started"' in html and "Your visitors" not in html


def test_reception_sees_expected_and_on_site_guests_of_its_locations(
    rita, rita_client, schedule, acme_hq
):
    _today, warehouse = schedule
    rita.membership.locations.set([acme_hq])
    with time_machine.travel(NOW, tick=False):
        html = rita_client.get(reverse("dashboard:home")).content.decode()
    assert f'data-location="{acme_hq.pk}"' in html
    assert f'data-location="{warehouse.pk}"' not in html  # not rita's desk
    expected = html.split('class="today-list expected"')[1].split("</ul>")[0]
    on_site = html.split('class="today-list on-site"')[1].split("</ul>")[0]
    assert "Ann" in expected and "Eve" not in expected
    assert "Eve" in on_site
    assert "Ben" not in html  # not today


def test_the_home_page_in_german(bob, bob_client, schedule):
    bob.language = "de"
    bob.save()
    with time_machine.travel(NOW, tick=False):
        html = bob_client.get(reverse("dashboard:home")).content.decode()
    assert "Ihre Besucher" in html and "Heute" in html
