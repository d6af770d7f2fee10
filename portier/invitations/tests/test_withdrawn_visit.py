"""A guest whose invitation was withdrawn, or whose visit was cancelled, is told so on their
link, with the host to ask, instead of a bare "Not Found"."""

import pytest
from django.test import Client
from django.utils import timezone

from portier.invitations.tests.helpers import GUESTS, future, timing
from portier.visits.services import cancel_appointment, create_appointment

pytestmark = pytest.mark.django_db


@pytest.fixture
def guest(bob, acme_hq):
    appointment, _change = create_appointment(
        company=bob.company,
        host=bob,
        location=acme_hq,
        title="Quarterly review",
        timing=timing(future()),
        guests=GUESTS[:1],
    )
    return appointment.guests.get()


def remove(guest):
    guest.removed_at = timezone.now()
    guest.save(update_fields=["removed_at"])


def test_a_removed_guest_is_told_the_visit_no_longer_includes_them_and_whom_to_ask(guest):
    remove(guest)
    response = Client().get(f"/visit/{guest.token}/")
    assert response.status_code == 410
    page = response.content.decode()
    assert "This visit no longer includes you" in page
    assert "Quarterly review" in page and "Acme" in page
    assert "Bob" in page and 'href="mailto:bob@acme.example"' in page
    assert guest.check_in_code not in page and "<svg" not in page
    assert response["Referrer-Policy"] == "no-referrer"
    assert "noindex" in response["X-Robots-Tag"]


def test_the_removed_guest_reads_it_in_their_language(guest):
    guest.language = "de"
    guest.save(update_fields=["language"])
    remove(guest)
    page = Client().get(f"/visit/{guest.token}/").content.decode()
    assert "Dieser Besuch schließt Sie nicht mehr ein" in page
    assert "Bei Fragen wenden Sie sich bitte an Bob" in page


def test_a_removed_guest_of_a_cancelled_visit_hears_of_the_cancellation(guest):
    remove(guest)
    cancel_appointment(appointment=guest.appointment)
    response = Client().get(f"/visit/{guest.token}/")
    assert response.status_code == 410
    assert "This visit was cancelled." in response.content.decode()


def test_a_cancelled_visit_says_so_and_whom_to_ask_without_a_code(guest):
    cancel_appointment(appointment=guest.appointment)
    response = Client().get(f"/visit/{guest.token}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "This visit is cancelled." in page
    assert "If you have questions, please ask Bob" in page
    assert guest.check_in_code not in page


def test_an_unknown_link_gets_the_branded_not_found_page(db):
    response = Client().get("/visit/not-a-token/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
