"""The guest page's token is a URL-safe word: anything else is 404 before the database sees it
(a NUL character was a 500 on PostgreSQL)."""

import pytest
from django.test import Client
from django.urls import reverse

from portier.visits.tests.helpers import appointment

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("token", ["a%00b", "a%20b", "%C3%A9"])
def test_a_token_that_cannot_be_one_is_404(token):
    response = Client(raise_request_exception=False).get(f"/visit/{token}/")
    assert response.status_code == 404


def test_a_real_token_still_opens_the_page(bob, acme_hq):
    guest = appointment(bob, acme_hq).guests.get(email="ann@example.org")
    response = Client().get(reverse("invitations:visit", args=[guest.token]))
    assert response.status_code == 200
