"""Branded, translated error pages. DEBUG is False in tests, so the handlers' templates render."""

import pytest
from django.test import Client
from django.urls import path

from portier.urls import urlpatterns as portier_urls


def boom(request):
    raise RuntimeError("a bug")


# The real URLs plus one view that fails, for the 500 page.
urlpatterns = [path("boom/", boom), *portier_urls]


def test_an_unknown_page_is_a_branded_404_with_a_way_to_log_in(db):
    response = Client().get("/no-such-page/")
    assert response.status_code == 404
    page = response.content.decode()
    assert 'data-status="404"' in page and "Page not found" in page
    assert 'href="/accounts/login/"' in page
    assert "mainnav" not in page


def test_the_404_page_is_translated(db):
    response = Client().get("/no-such-page/", headers={"accept-language": "de"})
    assert "Seite nicht gefunden" in response.content.decode()


def test_a_logged_in_user_keeps_the_navigation_on_a_404(bob_client):
    page = bob_client.get("/no-such-page/").content.decode()
    assert 'class="mainnav"' in page and 'href="/appointments/"' in page


def test_carol_an_outsider_gets_the_branded_404_for_acmes_appointment(carol_client, bob, acme_hq):
    from portier.invitations.tests.helpers import GUESTS, future, timing
    from portier.visits.services import create_appointment

    appointment, _change = create_appointment(
        company=bob.company,
        host=bob,
        location=acme_hq,
        title="Secret",
        timing=timing(future()),
        guests=GUESTS[:1],
    )
    response = carol_client.get(f"/appointments/{appointment.pk}/")
    assert response.status_code == 404
    page = response.content.decode()
    assert 'data-status="404"' in page and "Secret" not in page and 'class="mainnav"' in page


def test_a_host_on_an_admin_page_gets_a_branded_403_with_navigation(bob_client):
    response = bob_client.get("/administration/users/")
    assert response.status_code == 403
    page = response.content.decode()
    assert 'data-status="403"' in page and "ask an admin of your company" in page
    assert 'class="mainnav"' in page


def test_a_failed_csrf_check_asks_to_reload_and_retry(db):
    response = Client(enforce_csrf_checks=True).post("/accounts/login/", {"username": "x"})
    assert response.status_code == 403
    assert "reload the page and send the form again" in response.content.decode()


def test_a_bad_host_header_gets_the_branded_400(db):
    response = Client(HTTP_HOST="evil.example").get("/accounts/login/")
    assert response.status_code == 400
    page = response.content.decode()
    assert 'data-status="400"' in page and "could not understand this request" in page


@pytest.mark.urls(__name__)
def test_a_crash_is_a_branded_500_that_needs_no_database():
    # No `db` fixture: any query while rendering the page would fail this test.
    client = Client(raise_request_exception=False)
    response = client.get("/boom/", headers={"accept-language": "de"})
    assert response.status_code == 500
    page = response.content.decode()
    assert 'data-status="500"' in page and "Etwas ist schiefgegangen" in page
    assert "portier/portier.css" in page
    english = client.get("/boom/").content.decode()
    assert "Something went wrong" in english and "a bug" not in english
