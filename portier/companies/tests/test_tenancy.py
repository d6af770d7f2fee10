"""alice (admin, Acme), bob (host, Acme), carol (Globex): nobody sees another company."""

import json

import pytest
from django.urls import reverse

from portier.locations.models import Location


@pytest.fixture
def acme_annex(acme):
    return Location.objects.create(company=acme, name="Annex", address="Somewhere 2", code="ANX")


def acme_object_pages(acme_hq, alice):
    return [
        reverse("locations:edit", args=[acme_hq.pk]),
        reverse("companies:user_role", args=[alice.membership.pk]),
    ]


def test_carol_gets_404_on_every_acme_object_page(carol_client, alice, acme_hq, acme_annex):
    for url in acme_object_pages(acme_hq, alice):
        assert carol_client.get(url).status_code in (404, 405), url
        assert carol_client.post(url, {"role": "host", "name": "x"}).status_code == 404, url
    response = carol_client.post(reverse("locations:delete", args=[acme_annex.pk]))
    assert response.status_code == 404
    assert Location.objects.filter(pk=acme_annex.pk).exists()


def test_carol_never_sees_acme_data_in_her_lists(carol_client, alice, acme_hq):
    for name in ("locations:list", "companies:users", "companies:settings"):
        body = carol_client.get(reverse(name)).content.decode()
        assert "Acme" not in body and "alice@acme.example" not in body, name
    profile = carol_client.get(reverse("accounts:profile")).content.decode()
    assert "Acme HQ" not in profile  # the primary-location choices are her company's only


def test_carol_cannot_pick_an_acme_location_as_primary(carol_client, carol, acme_hq):
    response = carol_client.post(
        reverse("accounts:profile"),
        {"name": "Carol", "language": "en", "primary_location": acme_hq.pk},
    )
    assert response.status_code == 200  # form shown again with an error
    carol.refresh_from_db()
    assert carol.primary_location != acme_hq


def test_bob_cannot_reach_administration(bob_client, acme_hq, alice):
    urls = [
        reverse("locations:list"),
        reverse("locations:create"),
        reverse("locations:edit", args=[acme_hq.pk]),
        reverse("companies:users"),
        reverse("companies:settings"),
    ]
    for url in urls:
        assert bob_client.get(url).status_code == 403, url
    assert bob_client.post(reverse("locations:delete", args=[acme_hq.pk])).status_code == 403
    assert (
        bob_client.post(
            reverse("companies:user_role", args=[alice.membership.pk]), {"role": "host"}
        ).status_code
        == 403
    )


def test_bob_does_not_see_the_administration_menu(bob_client):
    body = bob_client.get(reverse("dashboard:home")).content.decode()
    assert "Administration" not in body


def test_anonymous_users_are_sent_to_login(client, acme_hq):
    for url in (reverse("dashboard:home"), reverse("locations:edit", args=[acme_hq.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_carol_gets_404_on_every_acme_api_route(client, carol, api_token, acme_hq):
    headers = api_token(carol)
    url = f"/api/v1/locations/{acme_hq.pk}"
    assert client.get(url, **headers).status_code == 404
    patch = client.patch(
        url, json.dumps({"name": "Hacked"}), content_type="application/json", **headers
    )
    assert patch.status_code == 404
    assert client.delete(url, **headers).status_code == 404
    listing = client.get("/api/v1/locations", **headers).json()
    assert [loc["name"] for loc in listing] == ["Globex Office"]
    acme_hq.refresh_from_db()
    assert acme_hq.name == "Acme HQ"


def test_bob_reads_locations_but_cannot_write_them(client, bob, api_token, acme_hq):
    headers = api_token(bob)
    assert client.get("/api/v1/locations", **headers).status_code == 200
    assert client.get(f"/api/v1/locations/{acme_hq.pk}", **headers).status_code == 200
    created = client.post(
        "/api/v1/locations",
        json.dumps({"name": "New", "address": "x"}),
        content_type="application/json",
        **headers,
    )
    assert created.status_code == 403
    assert "admin" in created.json()["detail"]
    patched = client.patch(
        f"/api/v1/locations/{acme_hq.pk}",
        json.dumps({"code": "BOB"}),
        content_type="application/json",
        **headers,
    )
    assert patched.status_code == 403
    assert client.delete(f"/api/v1/locations/{acme_hq.pk}", **headers).status_code == 403
    assert Location.objects.filter(company=bob.company).count() == 1
