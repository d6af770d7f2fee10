"""Changing one's password inside the app (it answered 500: the templates were missing)."""

from django.test import Client
from django.urls import reverse

from portier.accounts.models import LoginSession
from portier.testing.factories import PASSWORD

NEW = "a-new-and-long-passphrase-17"


def test_bob_changes_his_password_from_the_profile_page(bob_client, bob):
    profile = bob_client.get(reverse("accounts:profile")).content.decode()
    assert f'href="{reverse("password_change")}"' in profile
    form = bob_client.get(reverse("password_change"))
    assert form.status_code == 200
    assert "Change your password" in form.content.decode()
    response = bob_client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )
    assert response["Location"] == reverse("password_change_done")
    done = bob_client.get(response["Location"])
    assert done.status_code == 200 and "Password saved" in done.content.decode()
    # Still logged in here; the new password works, the old one no longer does.
    assert bob_client.get(reverse("accounts:profile")).status_code == 200
    assert Client().login(username=bob.email, password=NEW)
    assert not Client().login(username=bob.email, password=PASSWORD)


def test_a_wrong_current_password_is_shown_on_the_form(bob_client, bob):
    response = bob_client.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 200
    assert "Your old password was entered incorrectly" in response.content.decode()
    bob.refresh_from_db()
    assert bob.check_password(PASSWORD)


def test_the_page_speaks_german_for_a_german_profile(bob_client, bob):
    bob.language = "de"
    bob.save()
    body = bob_client.get(reverse("password_change")).content.decode()
    assert "Passwort ändern" in body


def test_a_password_change_keeps_the_session_known_for_deactivation(bob_client, bob):
    """Django gives the session a new key on a password change; the new key is recorded."""
    bob_client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )
    key = bob_client.session.session_key
    assert LoginSession.objects.filter(user=bob, session_key=key).exists()
