import json

from django.urls import reverse

from portier.accounts.models import ApiToken, hash_token


def test_profile_sets_name_language_and_primary_location(bob_client, bob, acme_hq):
    response = bob_client.post(
        reverse("accounts:profile"),
        {"name": "Bob B.", "language": "de", "primary_location": acme_hq.pk},
    )
    assert response.status_code == 302
    bob.refresh_from_db()
    assert (bob.name, bob.language, bob.primary_location) == ("Bob B.", "de", acme_hq)


def test_token_is_shown_once_and_stored_hashed(bob_client, bob):
    response = bob_client.post(reverse("accounts:token_create"), {"name": "laptop"})
    body = response.content.decode()
    token = ApiToken.objects.get(user=bob)
    raw = body.split('id="new-token">')[1].split("<")[0]
    assert raw.startswith("ptr_")
    assert token.token_hash == hash_token(raw)
    assert raw not in bob_client.get(reverse("accounts:profile")).content.decode()


def test_carol_gets_404_revoking_bobs_token(carol_client, bob):
    token, _raw = ApiToken.issue(bob, "bob's")
    response = carol_client.post(reverse("accounts:token_delete", args=[token.pk]))
    assert response.status_code == 404
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_api_me_reads_and_patches(client, bob, api_token, acme_hq):
    headers = api_token(bob)
    me = client.get("/api/v1/me", **headers).json()
    assert me["email"] == "bob@acme.example"
    assert me["role"] == "host" and me["company_name"] == "Acme"
    assert me["primary_location_id"] is None
    patched = client.patch(
        "/api/v1/me",
        json.dumps({"primary_location_id": acme_hq.pk, "language": "de"}),
        content_type="application/json",
        **headers,
    )
    assert patched.status_code == 200
    assert patched.json()["primary_location_id"] == acme_hq.pk
    assert patched.json()["language"] == "de"


def test_api_me_refuses_another_companys_location(client, bob, api_token, globex_office):
    response = client.patch(
        "/api/v1/me",
        json.dumps({"primary_location_id": globex_office.pk}),
        content_type="application/json",
        **api_token(bob),
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "Unknown location."
    bob.refresh_from_db()
    assert bob.primary_location is None


def test_api_rejects_missing_or_wrong_tokens(client, bob):
    assert client.get("/api/v1/me").status_code == 401
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer ptr_wrong")
    assert response.status_code == 401
    assert "Bearer" in response.json()["detail"]


def test_api_validation_errors_are_readable(client, bob, api_token):
    response = client.patch(
        "/api/v1/me",
        json.dumps({"language": "fr"}),
        content_type="application/json",
        **api_token(bob),
    )
    assert response.status_code == 422
    assert "language" in response.json()["detail"]


def test_openapi_document_is_served(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert "/api/v1/locations" in response.json()["paths"]


def test_times_are_shown_in_the_zone_of_the_primary_location(bob_client, bob, acme):
    from datetime import UTC, datetime

    from portier.testing.factories import LocationFactory

    bob.primary_location = LocationFactory(company=acme, time_zone="America/Los_Angeles")
    bob.save()
    token, _raw = ApiToken.issue(bob, "laptop")
    ApiToken.objects.filter(pk=token.pk).update(created=datetime(2026, 11, 20, 12, tzinfo=UTC))
    body = bob_client.get(reverse("accounts:profile")).content.decode()
    assert "Fri, 20 Nov 2026, 04:00" in body  # 12:00 UTC is 04:00 in Los Angeles


def test_switching_the_profile_to_german_says_saved_in_german(bob_client, bob, acme_hq):
    response = bob_client.post(
        reverse("accounts:profile"),
        {"name": "Bob", "language": "de", "primary_location": acme_hq.pk},
        follow=True,
    )
    text = response.content.decode()
    assert "Ihr Profil wurde gespeichert." in text
    assert "Your profile was saved." not in text
