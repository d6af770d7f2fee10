"""The pages keep to the same limits as the API: page numbers past the end or past what the
database holds, guest counts and description lengths (issue 11, items 9 and 12)."""

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import translation

from portier.lib.errors import DomainError
from portier.testing.factories import PASSWORD
from portier.visits import limits, manual
from portier.visits.models import Appointment
from portier.visits.services import GuestInfo
from portier.visits.tests.helpers import appointment, at
from portier.visits.tests.test_manual_invitations import form_data

pytestmark = pytest.mark.django_db
LIST = reverse("visits:list")
NEW = reverse("visits:create")


def client_of(user) -> Client:
    client = Client(raise_request_exception=False)  # a 500 is a status here, not an exception
    assert client.login(username=user.email, password=PASSWORD)
    return client


@pytest.mark.parametrize("page", ["9223372036854775807", "6224566386854350610366110770615287808"])
def test_a_page_number_past_what_the_database_holds_shows_the_last_page(bob, acme_hq, page):
    appointment(bob, acme_hq, title="Only one")
    response = client_of(bob).get(LIST, {"page": page})
    assert response.status_code == 200
    assert response.context["page"].number == 1
    assert [r.appointment.title for r in response.context["page"].rows] == ["Only one"]


def test_a_page_past_the_end_is_the_last_page(bob, acme_hq):
    appointment(bob, acme_hq, title="Upcoming")
    response = client_of(bob).get(LIST, {"page": "7"})
    assert response.context["page"].number == 1 and "Upcoming" in response.content.decode()


def test_the_service_refuses_more_guests_than_the_limit(acme):
    guests = [manual.NewGuest(f"g{i}@example.org") for i in range(limits.GUESTS_MAX)]
    assert len(manual.guest_infos(acme, guests + guests)) == 50  # duplicates do not count
    with pytest.raises(DomainError) as refused:
        manual.guest_infos(acme, [*guests, manual.NewGuest("one.more@example.org")])
    assert refused.value.message == "At most 50 guests per appointment."
    assert refused.value.field == "guests"


def test_the_service_refuses_a_description_past_the_limit(bob, acme_hq):
    with pytest.raises(DomainError) as refused:
        manual.invite(
            company=bob.company,
            host=bob,
            location=acme_hq,
            title="Visit",
            starts_at=at(days=3),
            ends_at=at(days=3, hour=11),
            guests=[manual.NewGuest("ann@example.org")],
            description="x" * (limits.DESCRIPTION_MAX_LENGTH + 1),
        )
    assert refused.value.message == "The description has at most 5000 characters."
    assert not Appointment.objects.exists()


def test_the_services_title_and_description_rules_speak_german():
    with translation.override("de"), pytest.raises(DomainError) as title:
        manual.ensure_title("t" * (limits.TITLE_MAX_LENGTH + 1))
    assert title.value.message == "Der Titel hat höchstens 300 Zeichen."
    assert title.value.field == "title"
    with translation.override("de"), pytest.raises(DomainError) as description:
        manual.ensure_description("d" * (limits.DESCRIPTION_MAX_LENGTH + 1))
    assert description.value.message == "Die Beschreibung hat höchstens 5000 Zeichen."
    assert manual.ensure_description("  " + "d" * limits.DESCRIPTION_MAX_LENGTH + " ") == (
        "d" * limits.DESCRIPTION_MAX_LENGTH
    )


def test_the_form_refuses_51_guests(bob, acme_hq):
    guests = [("G", str(i), f"g{i}@example.org") for i in range(limits.GUESTS_MAX + 1)]
    response = client_of(bob).post(NEW, form_data(acme_hq, guests=guests))
    assert response.status_code == 200
    assert response.context["formset"].non_form_errors() == ["At most 50 guests per appointment."]
    assert not Appointment.objects.exists()


def test_the_form_takes_50_guests_in_rows_added_on_the_page(bob, acme_hq):
    """Rows the page's script adds (TOTAL_FORMS grows) count up to the limit itself."""
    guests = [("G", str(i), f"g{i}@example.org") for i in range(limits.GUESTS_MAX)]
    response = client_of(bob).post(NEW, form_data(acme_hq, guests=guests))
    assert response.status_code == 302
    assert Appointment.objects.get().guests.count() == limits.GUESTS_MAX


def test_the_form_refuses_a_long_description_in_german(bob, acme_hq):
    bob.language = "de"
    bob.save()
    data = form_data(acme_hq, description="x" * (limits.DESCRIPTION_MAX_LENGTH + 1))
    response = client_of(bob).post(NEW, data)
    (error,) = response.context["form"].errors["description"]
    assert "höchstens 5000 Zeichen" in error  # Django's own message, in German
    assert not Appointment.objects.exists()


def test_the_front_desk_shows_a_page_of_guests(alice, bob, acme_hq, settings):
    url = reverse("checkin:front_desk", args=[acme_hq.pk])
    day = at(days=2, hour=0)
    per_page = limits.FRONT_DESK_PAGE_SIZE
    with time_machine.travel(day.replace(hour=7), tick=False):
        for n in range(2):
            guests = [
                GuestInfo(f"g{n}-{i:03}@example.org", f"Guest {n}-{i:03}")
                for i in range(per_page // 2 + 1)
            ]
            appointment(
                bob, acme_hq, title=f"Group {n}", start=day.replace(hour=9 + n), guests=guests
            )
        client = client_of(alice)
        first = client.get(url)
        second = client.get(url, {"page": "2"})
        huge = client.get(url, {"page": "6224566386854350610366110770615287808"})
        garbage = client.get(url, {"page": "abc"})
    assert len(first.context["page"].object_list) == per_page
    assert [g.email for g in second.context["page"].object_list] == [
        f"g1-{i:03}@example.org" for i in range(per_page // 2 - 1, per_page // 2 + 1)
    ]
    assert 'href="?page=2"' in first.content.decode()
    assert huge.status_code == 200 and huge.context["page"].number == 2
    assert garbage.status_code == 200 and garbage.context["page"].number == 1
