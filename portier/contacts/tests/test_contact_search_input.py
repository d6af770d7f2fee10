"""A search with a NUL character: PostgreSQL cannot compare one, it was a 500 there."""

import pytest
from django.urls import reverse

from portier.visits.tests.helpers import appointment

pytestmark = pytest.mark.django_db


def test_a_nul_character_in_the_search_is_ignored(bob_client, bob, acme_hq):
    appointment(bob, acme_hq)  # Ann Arbor and Ben Bauer become bob's contacts
    response = bob_client.get(reverse("contacts:list"), {"q": "arb\x00or"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "ann@example.org" in body and "ben@example.net" not in body
