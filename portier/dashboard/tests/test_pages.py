from django.core import mail
from django.urls import reverse

from portier.accounts.models import User
from portier.testing.factories import PASSWORD


def test_login_by_email_case_insensitively(client, bob):
    response = client.post(reverse("login"), {"username": "BOB@acme.example", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("dashboard:home")).status_code == 200


def test_wrong_password_says_so(client, bob):
    response = client.post(reverse("login"), {"username": bob.email, "password": "nope"})
    assert "did not match" in response.content.decode()


def test_german_user_sees_german_pages(bob_client, bob):
    bob.language = "de"
    bob.save()
    body = bob_client.get(reverse("integrations:list")).content.decode()
    assert 'lang="de"' in body
    assert "Termine" in body and "Ihre Daten" in body
    assert "nicht verbunden" in body


def test_english_user_sees_english_pages_even_with_a_german_browser(bob_client):
    body = bob_client.get(
        reverse("integrations:list"), HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9"
    ).content.decode()
    assert 'lang="en"' in body
    assert "Appointments" in body and "not connected" in body


def test_without_profile_language_the_browser_decides(client):
    body = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9").content.decode()
    assert "Anmelden" in body


def test_integrations_lists_providers_and_asks_for_a_primary_location(bob_client, settings):
    body = bob_client.get(reverse("integrations:list")).content.decode()
    assert "Google Calendar" in body and "Microsoft Outlook" in body
    assert "set your primary location" in body.lower()
    assert reverse("accounts:profile") in body
    # Registered sources only: no placeholder for one this installation does not have.
    settings.PORTIER_SOURCES = {
        k: v for k, v in settings.PORTIER_SOURCES.items() if k != "microsoft"
    }
    body = bob_client.get(reverse("integrations:list")).content.decode()
    assert "Google Calendar" in body and "Microsoft Outlook" not in body


def test_integrations_without_the_hint_once_a_primary_location_is_set(alice_client):
    body = alice_client.get(reverse("integrations:list")).content.decode()
    assert "Before you connect a calendar" not in body


def test_admin_invites_a_colleague_who_sets_a_password(
    alice_client, acme, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(
            reverse("companies:users"),
            {"email": "dan@acme.example", "name": "Dan", "role": "host"},
        )
    assert response.status_code == 302
    dan = User.objects.get(email="dan@acme.example")
    assert dan.membership.company == acme and not dan.has_usable_password()
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/reset/" in line)
    path = link.split("://", 1)[1].split("/", 1)[1]
    form = client.get("/" + path, follow=True)
    response = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "a-long-new-pass-42", "new_password2": "a-long-new-pass-42"},
    )
    assert response.status_code == 302
    assert client.login(username="dan@acme.example", password="a-long-new-pass-42")


def test_inviting_an_address_at_another_companys_domain_is_refused(alice_client, carol):
    """Refused for the domain, never for the person (see companies/tests/test_address_squatting)."""
    response = alice_client.post(
        reverse("companies:users"), {"email": carol.email, "name": "", "role": "host"}
    )
    assert response.status_code == 200
    assert "belong to another company" in response.content.decode()
    assert "already exists" not in response.content.decode()


def test_the_last_admin_cannot_step_down(alice_client, alice):
    response = alice_client.post(
        reverse("companies:user_role", args=[alice.membership.pk]), {"role": "host"}, follow=True
    )
    assert "at least one admin" in response.content.decode()
    alice.membership.refresh_from_db()
    assert alice.membership.role == "admin"


def test_admin_edits_internal_domains(alice_client, acme):
    response = alice_client.post(
        reverse("companies:settings"),
        {"name": "Acme AG", "language": "de", "internal_domains": "acme.example, @Acme.DE"},
    )
    assert response.status_code == 302
    acme.refresh_from_db()
    assert acme.internal_domains == ["acme.de", "acme.example"]
    assert acme.is_internal_email("X@ACME.de")
