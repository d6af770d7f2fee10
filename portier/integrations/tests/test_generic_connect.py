"""The generic /integrations/<slug>/... views: any registered source, nothing else."""

import pytest
from django.urls import reverse

from portier.integrations.models import Connection
from portier.testing.memory_source import MemorySimulator

pytestmark = pytest.mark.django_db


@pytest.fixture
def memory():
    simulator = MemorySimulator()
    simulator.start()
    simulator.add_account("bob@memory.example", time_zone="UTC", other_calendar="Team")
    yield simulator
    simulator.stop()


@pytest.mark.parametrize("view", ["connect", "callback", "notifications"])
def test_an_unregistered_source_is_404(bob_client, view):
    url = reverse(f"integrations:{view}", args=["outlook"])
    assert bob_client.post(url).status_code == 404


def test_an_oauth_source_starts_only_by_post(bob_client, bob, acme_hq):
    bob.primary_location = acme_hq
    bob.save()
    response = bob_client.get(reverse("integrations:connect", args=["google"]))
    assert response.status_code == 405


def test_a_form_source_connects_through_its_form(bob_client, bob, acme_hq, memory):
    bob.primary_location = acme_hq
    bob.save()
    url = reverse("integrations:connect", args=["memory"])
    assert 'name="account"' in bob_client.get(url).content.decode()
    invalid = bob_client.post(url, {"account": "not an address"})
    assert invalid.status_code == 200 and not Connection.objects.exists()
    page = bob_client.post(url, {"account": "bob@memory.example"}, follow=True)
    assert "Memory calendar bob@memory.example is connected." in page.content.decode()
    connection = Connection.objects.get()
    assert connection.user == bob and connection.provider == "memory"
    assert connection.calendars.count() == 2


def test_a_form_connect_with_an_unknown_account_stores_nothing(bob_client, bob, acme_hq, memory):
    bob.primary_location = acme_hq
    bob.save()
    url = reverse("integrations:connect", args=["memory"])
    page = bob_client.post(url, {"account": "nobody@memory.example"}).content.decode()
    assert "Memory calendar did not complete the connection: no such account" in page
    assert not Connection.objects.exists()


def test_a_form_source_asks_for_a_primary_location_first(bob_client, memory):
    url = reverse("integrations:connect", args=["memory"])
    page = bob_client.post(url, {"account": "bob@memory.example"}, follow=True)
    assert "set your primary location" in page.content.decode().lower()
    assert not Connection.objects.exists()


def test_carol_cannot_reconnect_bobs_connection(carol_client, bob, acme_hq, memory):
    from portier.integrations import services
    from portier.sources.base import Tokens

    bob.primary_location = acme_hq
    bob.save()
    connection = services.connect_with_tokens(
        user=bob, slug="memory", tokens=Tokens(refresh_token="bob@memory.example")
    )
    url = reverse("integrations:detail", args=[connection.pk])
    assert carol_client.get(url).status_code == 404
