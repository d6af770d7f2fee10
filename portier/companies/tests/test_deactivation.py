"""Removing people: an admin deactivates a member who left, and can reactivate them."""

from importlib import import_module

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from portier.accounts.models import ApiToken, LoginSession
from portier.companies.models import AuditEntry, Role
from portier.companies.services import change_role, deactivate_member
from portier.integrations.models import Status
from portier.lib.errors import DomainError
from portier.sync import channels
from portier.testing.factories import PASSWORD, make_member
from portier.visits.tests.helpers import appointment


def log_in(email, password=PASSWORD) -> Client:
    """Through the real log-in page, as a browser does (the middlewares see it)."""
    client = Client()
    response = client.post(reverse("login"), {"username": email, "password": password})
    assert response.status_code == 302, response.content.decode()
    return client


def session_exists(key) -> bool:
    return import_module(settings.SESSION_ENGINE).SessionStore().exists(key)


def deactivate(client, membership):
    return client.post(reverse("companies:user_deactivate", args=[membership.pk]))


@pytest.mark.parametrize(
    "engine",
    ["django.contrib.sessions.backends.db", "django.contrib.sessions.backends.cache"],
)
def test_deactivating_bob_ends_his_sessions_in_the_configured_store(settings, alice, bob, engine):
    settings.SESSION_ENGINE = engine
    laptop, phone = log_in(bob.email), log_in(bob.email)
    keys = [c.session.session_key for c in (laptop, phone)]
    assert all(session_exists(k) for k in keys)
    assert set(LoginSession.objects.filter(user=bob).values_list("session_key", flat=True)) == set(
        keys
    )
    alice_client = log_in(alice.email)
    response = deactivate(alice_client, bob.membership)
    assert response.status_code == 302
    assert not any(session_exists(k) for k in keys)
    assert not LoginSession.objects.filter(user=bob).exists()
    assert laptop.get(reverse("accounts:profile"))["Location"].startswith(reverse("login"))
    assert alice_client.get(reverse("accounts:profile")).status_code == 200  # hers live on


def test_deactivated_bob_cannot_log_in_or_use_his_tokens(alice, bob, client, api_token):
    headers = api_token(bob)
    assert client.get("/api/v1/me", **headers).status_code == 200
    deactivate_member(membership=bob.membership, actor=alice)
    assert not ApiToken.objects.filter(user=bob).exists()
    assert client.get("/api/v1/me", **headers).status_code == 401
    response = client.post(reverse("login"), {"username": bob.email, "password": PASSWORD})
    assert response.status_code == 200
    assert "did not match" in response.content.decode()


def test_deactivating_disconnects_his_calendars_at_google(alice, bob_google, google_fake):
    bob = bob_google.user
    calendar = channels.open_channel(bob_google.calendars.get(is_primary=True))
    refresh_token = bob_google.refresh_token
    assert google_fake.active_channels == [calendar.channel_id]
    deactivate_member(membership=bob.membership, actor=alice)
    bob_google.refresh_from_db()
    assert bob_google.status == Status.DISCONNECTED and bob_google.refresh_token == ""
    assert refresh_token in google_fake.revoked_tokens
    assert google_fake.active_channels == []


def test_admins_still_read_his_appointments_and_he_is_no_host_any_more(
    alice, bob, acme_hq, api_token
):
    visit = appointment(bob, acme_hq, title="Supplier visit")
    deactivate_member(membership=bob.membership, actor=alice)
    alice_client = log_in(alice.email)
    detail = alice_client.get(reverse("visits:detail", args=[visit.pk]))
    assert detail.status_code == 200 and "Supplier visit" in detail.content.decode()
    form = alice_client.get(reverse("visits:create")).content.decode()
    assert f'value="{bob.pk}"' not in form
    assert f'value="{alice.pk}"' in form
    # The API does not accept him as a host either (it did before).
    response = alice_client.post(
        "/api/v1/appointments",
        {
            "title": "On Bob's behalf",
            "location_id": acme_hq.pk,
            "starts_at": "2031-05-06T10:00:00+02:00",
            "ends_at": "2031-05-06T11:00:00+02:00",
            "host_id": bob.pk,
            "guests": [{"email": "ann@example.org"}],
        },
        content_type="application/json",
        **api_token(alice),
    )
    assert response.status_code == 404


def test_the_deactivation_is_audited_with_its_actor(alice, bob):
    deactivate_member(membership=bob.membership, actor=alice)
    entry = AuditEntry.objects.get()
    assert (entry.company, entry.actor, entry.subject) == (alice.company, alice, bob)
    assert entry.action == "member_deactivated"
    assert (entry.actor_label, entry.subject_label) == (alice.email, bob.email)
    page = log_in(alice.email).get(reverse("companies:users")).content.decode()
    assert "bob@acme.example: member deactivated by alice@acme.example" in page


def test_an_admin_cannot_deactivate_themself(alice, bob):
    alice_client = log_in(alice.email)
    make_member(alice.company, email="dora@acme.example", name="Dora", role=Role.ADMIN)
    response = deactivate(alice_client, alice.membership)
    alice.refresh_from_db()
    assert alice.is_active
    page = alice_client.get(response["Location"]).content.decode()
    assert "You cannot deactivate yourself." in page


def test_the_last_active_admin_cannot_be_deactivated(alice, acme):
    dora = make_member(acme, email="dora@acme.example", name="Dora", role=Role.ADMIN)
    deactivate_member(membership=alice.membership, actor=dora)
    # Alice's deactivated admin membership does not count as a second admin.
    with pytest.raises(DomainError, match="at least one admin"):
        deactivate_member(membership=dora.membership, actor=alice)
    with pytest.raises(DomainError, match="at least one admin"):
        change_role(membership=dora.membership, role=Role.HOST)
    dora.refresh_from_db()
    assert dora.is_active


def test_reactivated_bob_logs_in_again_without_his_old_tokens(alice, bob, api_token):
    headers = api_token(bob)
    alice_client = log_in(alice.email)
    deactivate(alice_client, bob.membership)
    users = alice_client.get(reverse("companies:users")).content.decode()
    assert "deactivated" in users and "Reactivate" in users
    response = alice_client.post(reverse("companies:user_reactivate", args=[bob.membership.pk]))
    assert response.status_code == 302
    bob.refresh_from_db()
    assert bob.is_active
    log_in(bob.email)
    assert Client().get("/api/v1/me", **headers).status_code == 401
    assert list(AuditEntry.objects.values_list("action", flat=True)) == [
        "member_reactivated",
        "member_deactivated",
    ]


def test_the_confirmation_page_says_what_will_happen(alice, bob, api_token):
    api_token(bob)
    page = log_in(alice.email).get(reverse("companies:user_deactivate", args=[bob.membership.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Deactivate bob@acme.example?" in body and "1 API token is revoked" in body
    bob.refresh_from_db()
    assert bob.is_active  # asking is not doing


def test_hosts_cannot_deactivate(bob, alice):
    response = deactivate(log_in(bob.email), alice.membership)
    assert response.status_code == 403
    alice.refresh_from_db()
    assert alice.is_active


def test_carol_gets_404_deactivating_or_reactivating_bob(carol, bob):
    carol_client = log_in(carol.email)
    for name in ("companies:user_deactivate", "companies:user_reactivate"):
        response = carol_client.post(reverse(name, args=[bob.membership.pk]))
        assert response.status_code == 404
    bob.refresh_from_db()
    assert bob.is_active
