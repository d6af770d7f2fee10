"""Connecting Google through the real client libraries against the loopback fake."""

import json
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail
from django.db import connection as db
from django.urls import reverse

from portier.integrations import services
from portier.integrations.models import Connection, Status
from portier.sources.base import ProviderError
from portier.testing.factories import LocationFactory

BOB = "bob@acme.example"


@pytest.fixture
def bob_at_hq(bob, acme_hq):
    bob.primary_location = acme_hq
    bob.save()
    return bob


@pytest.fixture
def google(google_fake, settings):
    settings.PORTIER_BASE_URL = "http://testserver"
    google_fake.add_account(BOB, name="Bob", time_zone="Europe/Berlin", calendars=["Team"])
    google_fake.add_account("bob.private@gmail.example", name="Bob private")
    return google_fake


def start(client, **data):
    response = client.post(reverse("integrations:connect", args=["google"]), data)
    assert response.status_code == 302, response.content
    return response["Location"]


def follow_back(client, redirect_url):
    parts = urlsplit(redirect_url)
    return client.get(f"{parts.path}?{parts.query}", follow=True)


def connect(client, google, account=BOB):
    auth_url = start(client)
    return follow_back(client, google.approve_url(auth_url, account=account))


def test_connect_end_to_end(bob_client, bob_at_hq, google, acme_hq):
    auth_url = start(bob_client)
    query = parse_qs(urlsplit(auth_url).query)
    assert auth_url.startswith(google.auth_uri)
    assert query["access_type"] == ["offline"] and query["prompt"] == ["consent"]
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"]
    assert query["redirect_uri"] == ["http://testserver/integrations/google/callback/"]
    assert set(query["scope"][0].split()) == {
        "https://www.googleapis.com/auth/calendar.calendarlist.readonly",
        "https://www.googleapis.com/auth/calendar.events.readonly",
    }
    page = follow_back(bob_client, google.approve_url(auth_url, account=BOB))
    body = page.content.decode()
    assert "Google Calendar bob@acme.example is connected." in body
    connection = Connection.objects.get(user=bob_at_hq)
    assert connection.status == Status.CONNECTED
    assert connection.account_id == BOB
    assert connection.location == acme_hq
    assert connection.refresh_token and connection.access_token
    calendars = {c.name: c for c in connection.calendars.all()}
    assert set(calendars) == {"Bob", "Team"} or set(calendars) == {BOB, "Team"}
    primary = next(c for c in calendars.values() if c.is_primary)
    assert primary.remote_id == BOB and primary.selected
    assert not calendars["Team"].selected
    assert "Team" not in body.split("Integration location")[1].split("Disconnect")[0]


def test_no_primary_location_no_button_and_no_flow(bob_client, bob, google):
    body = bob_client.get(reverse("integrations:list")).content.decode()
    assert "Connect Google Calendar" not in body
    assert "set your primary location" in body.lower()
    response = bob_client.post(reverse("integrations:connect", args=["google"]), follow=True)
    assert "Set your primary location in your profile" in response.content.decode()
    assert not Connection.objects.exists()


def test_state_mismatch_stores_nothing(bob_client, bob_at_hq, google):
    auth_url = start(bob_client)
    back = google.approve_url(auth_url, account=BOB).replace("state=", "state=forged")
    page = follow_back(bob_client, back)
    assert "did not match a connection you started" in page.content.decode()
    assert not Connection.objects.exists()


def test_callback_without_a_started_flow_stores_nothing(bob_client, bob_at_hq, google):
    page = bob_client.get(
        reverse("integrations:callback", args=["google"]) + "?code=x&state=y", follow=True
    )
    assert "did not match" in page.content.decode()
    assert not Connection.objects.exists()


def test_denied_consent_stores_nothing(bob_client, bob_at_hq, google):
    auth_url = start(bob_client)
    page = follow_back(bob_client, google.approve_url(auth_url, deny=True))
    assert "You did not grant Portier access" in page.content.decode()
    assert not Connection.objects.exists()


def test_token_endpoint_error_stores_nothing(bob_client, bob_at_hq, google, settings):
    auth_url = start(bob_client)
    redirect = google.approve_url(auth_url, account=BOB)
    settings.GOOGLE_CLIENT_SECRET = "wrong-secret"  # the token endpoint answers invalid_client
    page = follow_back(bob_client, redirect)
    assert "Google Calendar did not complete the connection" in page.content.decode()
    assert not Connection.objects.exists()


def test_code_is_bound_to_the_pkce_verifier(bob_client, bob_at_hq, google):
    auth_url = start(bob_client)
    redirect = google.approve_url(auth_url, account=BOB)
    session = bob_client.session
    session["google_oauth"]["verifier"] = "x" * 64  # not the one the challenge was made from
    session.save()
    page = follow_back(bob_client, redirect)
    assert "Google Calendar did not complete the connection" in page.content.decode()
    assert not Connection.objects.exists()


def test_two_google_accounts_and_settings_persist(bob_client, bob_at_hq, google, acme):
    connect(bob_client, google, BOB)
    connect(bob_client, google, "bob.private@gmail.example")
    assert Connection.objects.filter(user=bob_at_hq).count() == 2
    work = Connection.objects.get(account_id=BOB)
    annex = LocationFactory(company=acme, name="Annex")
    team = work.calendars.get(name="Team")
    primary = work.calendars.get(is_primary=True)
    response = bob_client.post(
        reverse("integrations:detail", args=[work.pk]),
        {"location": annex.pk, "calendars": [str(team.pk), str(primary.pk)]},
    )
    assert response.status_code == 302
    work.refresh_from_db()
    assert work.location == annex
    assert set(work.calendars.filter(selected=True)) == {team, primary}
    body = bob_client.get(reverse("integrations:list")).content.decode()
    assert "bob.private@gmail.example" in body and BOB in body


def test_integration_location_must_be_of_the_company(bob_client, bob_at_hq, google, globex):
    connect(bob_client, google)
    connection = Connection.objects.get()
    foreign = LocationFactory(company=globex)
    response = bob_client.post(
        reverse("integrations:detail", args=[connection.pk]), {"location": foreign.pk}
    )
    assert response.status_code == 200  # the form refuses the choice
    connection.refresh_from_db()
    assert connection.location != foreign


def test_revoked_grant_needs_reconnect_mails_once_and_reconnect_restores(
    bob_client, bob_at_hq, google, django_capture_on_commit_callbacks
):
    connect(bob_client, google)
    connection = Connection.objects.get()
    old_refresh = connection.refresh_token
    google.revoke_account_tokens(BOB)
    google.expire_access_tokens(BOB)
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(ProviderError):
            services.refresh_calendars(connection=Connection.objects.get())
    connection.refresh_from_db()
    assert connection.status == Status.NEEDS_RECONNECT
    assert "invalid_grant" in connection.last_error
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [BOB]
    assert "reconnect" in mail.outbox[0].subject.lower()
    body = bob_client.get(reverse("integrations:list")).content.decode()
    assert "Reconnect" in body and "needs reconnect" in body

    auth_url = start(bob_client, connection=connection.pk)
    assert parse_qs(urlsplit(auth_url).query)["login_hint"] == [BOB]
    follow_back(bob_client, google.approve_url(auth_url, account=BOB))
    restored = Connection.objects.get()
    assert restored.pk == connection.pk  # history kept
    assert restored.status == Status.CONNECTED and restored.last_error == ""
    assert restored.refresh_token != old_refresh
    services.refresh_calendars(connection=restored)  # the new grant works


def test_disconnect_stops_channels_revokes_and_deletes_tokens(bob_client, bob_at_hq, google):
    connect(bob_client, google)
    connection = Connection.objects.get()
    refresh_token = connection.refresh_token
    calendar = connection.calendars.get(is_primary=True)
    # Connecting opened the primary calendar's push channel through the real client.
    assert calendar.channel_id and calendar.channel_resource_id
    assert google.active_channels == [calendar.channel_id]
    confirm = bob_client.get(reverse("integrations:disconnect", args=[connection.pk]))
    assert "Appointments already synced stay" in confirm.content.decode()
    assert Connection.objects.get().is_active  # asking is not doing
    bob_client.post(reverse("integrations:disconnect", args=[connection.pk]))
    connection.refresh_from_db()
    assert connection.status == Status.DISCONNECTED
    assert connection.refresh_token == "" and connection.access_token == ""
    assert refresh_token in google.revoked_tokens
    assert google.active_channels == []
    assert not connection.calendars.exclude(channel_id="").exists()
    body = bob_client.get(reverse("integrations:list")).content.decode()
    assert "No longer synced" in body


def test_tokens_are_encrypted_in_the_database(bob_client, bob_at_hq, google):
    connect(bob_client, google)
    connection = Connection.objects.get()
    with db.cursor() as cursor:
        cursor.execute(
            "SELECT refresh_token, access_token FROM integrations_connection WHERE id = %s",
            [connection.pk],
        )
        raw_refresh, raw_access = cursor.fetchone()
    assert connection.refresh_token not in raw_refresh
    assert connection.access_token not in raw_access
    assert raw_refresh.startswith("gAAAA")  # a Fernet token


def test_key_rotation_reencrypts_and_old_key_can_go(bob_client, bob_at_hq, google, settings):
    from cryptography.fernet import Fernet
    from django.core.management import call_command

    connect(bob_client, google)
    token = Connection.objects.get().refresh_token
    old_keys = list(settings.PORTIER_ENCRYPTION_KEYS)
    new_key = Fernet.generate_key().decode()
    settings.PORTIER_ENCRYPTION_KEYS = [new_key, *old_keys]
    call_command("rotatekeys")
    settings.PORTIER_ENCRYPTION_KEYS = [new_key]
    assert Connection.objects.get().refresh_token == token


def test_tokens_never_appear_in_pages_or_api(bob_client, bob, bob_at_hq, google, client, api_token):
    connect(bob_client, google)
    connection = Connection.objects.get()
    pages = [
        bob_client.get(reverse("integrations:list")).content.decode(),
        bob_client.get(reverse("integrations:detail", args=[connection.pk])).content.decode(),
        json.dumps(client.get("/api/v1/integrations", **api_token(bob)).json()),
    ]
    for page in pages:
        assert connection.refresh_token not in page
        assert connection.access_token not in page


def test_api_lists_connections_with_calendars(
    bob_client, bob, bob_at_hq, google, client, api_token
):
    connect(bob_client, google)
    data = client.get("/api/v1/integrations", **api_token(bob)).json()
    assert len(data) == 1
    assert data[0]["account_id"] == BOB and data[0]["status"] == "connected"
    assert {c["name"] for c in data[0]["calendars"]} >= {"Team"}
    assert "refresh_token" not in json.dumps(data)


def test_carol_gets_404_on_bobs_connection(
    bob_client, bob_at_hq, google, carol_client, carol, client, api_token
):
    connect(bob_client, google)
    connection = Connection.objects.get()
    for name in ("integrations:detail", "integrations:disconnect"):
        url = reverse(name, args=[connection.pk])
        assert carol_client.get(url).status_code == 404
        assert carol_client.post(url).status_code == 404
    response = carol_client.post(
        reverse("integrations:connect", args=["google"]), {"connection": connection.pk}
    )
    assert response.status_code == 404
    assert client.get("/api/v1/integrations", **api_token(carol)).json() == []
    assert Connection.objects.get().is_active


def test_alice_cannot_manage_bobs_connection_either(bob_client, bob_at_hq, google, alice_client):
    connect(bob_client, google)
    connection = Connection.objects.get()
    assert alice_client.get(reverse("integrations:detail", args=[connection.pk])).status_code == 404
