"""API tokens: a name, an optional expiry, a last-used time written at most once a minute."""

from datetime import timedelta

import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portier.accounts.models import ApiToken
from portier.testing.factories import PASSWORD


def log_in(user):
    client = Client()
    assert client.login(username=user.email, password=PASSWORD)
    return client


def new_token(client, **data) -> str:
    response = client.post(reverse("accounts:token_create"), {"name": "laptop", **data})
    return response.content.decode().split('id="new-token">')[1].split("<")[0]


def bearer(raw):
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_a_token_chosen_for_30_days_stops_working_after_them(bob, client):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        raw = new_token(log_in(bob), valid_days="30")
        token = ApiToken.objects.get()
        assert token.expires_at == start + timedelta(days=30)
        assert client.get("/api/v1/me", **bearer(raw)).status_code == 200
    with time_machine.travel(start + timedelta(days=30, seconds=-1), tick=False):
        assert client.get("/api/v1/me", **bearer(raw)).status_code == 200
    with time_machine.travel(start + timedelta(days=30), tick=False):
        bob_client = log_in(bob)
        response = client.get("/api/v1/me", **bearer(raw))
        assert response.status_code == 401
        page = bob_client.get(reverse("accounts:profile")).content.decode()
        assert "expired" in page


def test_a_token_without_expiry_keeps_working(bob_client, client):
    raw = new_token(bob_client, valid_days="")
    assert ApiToken.objects.get().expires_at is None
    with time_machine.travel(timezone.now() + timedelta(days=3650)):
        assert client.get("/api/v1/me", **bearer(raw)).status_code == 200


def test_the_profile_offers_never_30_90_and_365_days(bob_client):
    page = bob_client.get(reverse("accounts:profile")).content.decode()
    for value in ('value=""', 'value="30"', 'value="90"', 'value="365"'):
        assert value in page
    bob_client.post(reverse("accounts:token_create"), {"name": "x", "valid_days": "7"})
    assert not ApiToken.objects.exists()  # only the offered lifetimes


def test_last_used_is_written_at_most_once_a_minute(bob, client, api_token):
    headers = api_token(bob)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.get("/api/v1/me", **headers)
        first = ApiToken.objects.get().last_used
        assert first == timezone.now()
    with time_machine.travel(start + timedelta(seconds=59), tick=False):
        with CaptureQueriesContext(connection) as queries:
            client.get("/api/v1/me", **headers)
        assert not [q for q in queries if q["sql"].startswith("UPDATE")]
        assert ApiToken.objects.get().last_used == first
    with time_machine.travel(start + timedelta(seconds=60), tick=False):
        client.get("/api/v1/me", **headers)
        assert ApiToken.objects.get().last_used == timezone.now()


def test_a_revoked_token_gets_401(bob_client, client):
    raw = new_token(bob_client)
    token = ApiToken.objects.get()
    assert client.get("/api/v1/me", **bearer(raw)).status_code == 200
    response = bob_client.post(reverse("accounts:token_delete", args=[token.pk]))
    assert response.status_code == 302
    assert client.get("/api/v1/me", **bearer(raw)).status_code == 401
