"""Brute force: wrong passwords, wrong API tokens and reset requests are throttled."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portier.testing.factories import PASSWORD

WRONG = "not-the-password"


@pytest.fixture
def limits(settings):
    settings.PORTIER_LOGIN_ATTEMPTS = 5
    settings.PORTIER_LOGIN_ATTEMPTS_PER_ADDRESS = 8
    settings.PORTIER_LOGIN_WINDOW_SECONDS = 600
    settings.PORTIER_PASSWORD_RESETS = 3
    settings.PORTIER_PASSWORD_RESETS_PER_ADDRESS = 5
    settings.PORTIER_PASSWORD_RESET_WINDOW_SECONDS = 3600
    settings.PORTIER_BASE_URL = "http://testserver"


def log_in(client, email, password, address="192.0.2.10"):
    return client.post(
        reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=address
    )


def test_after_n_wrong_passwords_the_right_one_is_refused_until_the_window_passes(limits, bob):
    start = timezone.now()
    client = Client()
    with time_machine.travel(start, tick=False):
        for _ in range(5):
            assert log_in(client, bob.email, WRONG).status_code == 200
        refused = log_in(client, "Bob@Acme.example", PASSWORD)  # any spelling of the address
        assert refused.status_code == 429
        assert int(refused["Retry-After"]) == 600
        body = refused.content.decode()
        assert "Too many failed log-ins. Please wait 10 minutes and try again." in body
        assert "_auth_user_id" not in client.session
    with time_machine.travel(start + timedelta(seconds=599), tick=False):
        assert log_in(client, bob.email, PASSWORD).status_code == 429
    with time_machine.travel(start + timedelta(seconds=600), tick=False):
        response = log_in(client, bob.email, PASSWORD)
        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(bob.pk)


def test_the_account_limit_holds_across_addresses(limits, bob):
    for n in range(5):
        log_in(Client(), bob.email, WRONG, address=f"198.51.100.{n}")
    assert log_in(Client(), bob.email, PASSWORD, address="203.0.113.1").status_code == 429


def test_one_address_is_throttled_across_accounts_at_a_higher_threshold(limits, alice, bob):
    client = Client()
    for _ in range(4):  # under bob's own limit of 5
        log_in(client, bob.email, WRONG)
    for n in range(4):  # other, maybe unknown, accounts from the same address
        log_in(client, f"guess{n}@acme.example", WRONG)
    # 8 failures from this address: alice, who never failed, is refused from here...
    response = log_in(client, alice.email, PASSWORD)
    assert response.status_code == 429
    assert "Too many failed log-ins" in response.content.decode()
    # ...but not from elsewhere.
    assert log_in(Client(), alice.email, PASSWORD, address="203.0.113.7").status_code == 302


def test_a_right_password_starts_the_accounts_count_over(limits, bob):
    for _ in range(4):
        log_in(Client(), bob.email, WRONG, address="198.51.100.1")
    assert log_in(Client(), bob.email, PASSWORD, address="198.51.100.2").status_code == 302
    for _ in range(4):
        log_in(Client(), bob.email, WRONG, address="198.51.100.3")
    assert log_in(Client(), bob.email, PASSWORD, address="198.51.100.4").status_code == 302


def test_sixty_wrong_passwords_then_the_right_one_is_refused(bob):
    """The report in issue 11, with the default limits."""
    client = Client()
    for _ in range(60):
        log_in(client, bob.email, WRONG)
    assert log_in(client, bob.email, PASSWORD).status_code == 429


def test_wrong_api_tokens_from_one_address_get_429_with_retry_after(limits, bob, api_token):
    headers = api_token(bob)
    client = Client()
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for _ in range(8):
            response = client.get(
                "/api/v1/me", HTTP_AUTHORIZATION="Bearer ptr_guess", REMOTE_ADDR="192.0.2.20"
            )
            assert response.status_code == 401
        throttled = client.get("/api/v1/me", REMOTE_ADDR="192.0.2.20", **headers)
        assert throttled.status_code == 429
        assert throttled["Retry-After"] == "600"
        assert "Too many failed attempts" in throttled.json()["detail"]
        # Another address with the right token is served.
        assert client.get("/api/v1/me", REMOTE_ADDR="192.0.2.21", **headers).status_code == 200
    with time_machine.travel(start + timedelta(seconds=600), tick=False):
        assert client.get("/api/v1/me", REMOTE_ADDR="192.0.2.20", **headers).status_code == 200


def reset(client, email, address="192.0.2.30"):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address)


def test_the_reset_form_stops_sending_to_one_inbox_after_the_limit(limits, bob):
    client = Client()
    for n in range(3):
        assert reset(client, bob.email, address=f"198.51.100.{n}").status_code == 302
    assert len(mail.outbox) == 3
    refused = reset(client, bob.email, address="198.51.100.99")
    assert refused.status_code == 429
    assert "Too many reset requests" in refused.content.decode()
    assert len(mail.outbox) == 3


def test_the_reset_form_stops_one_address_across_inboxes(limits, alice, bob):
    client = Client()
    for email in ["nobody@acme.example", "ghost@acme.example", alice.email, "x@y.example"]:
        assert reset(client, email).status_code == 302
    assert reset(client, bob.email).status_code == 302  # the 5th request from this address
    assert len(mail.outbox) == 2  # alice and bob: the unknown addresses get nothing
    assert reset(client, bob.email).status_code == 429
    assert len(mail.outbox) == 2


def test_a_throttled_reset_answers_the_same_for_unknown_addresses(limits, bob):
    """Counting every request, known or not, keeps the answer from telling which exist."""
    client = Client()
    for n in range(3):
        reset(client, "nobody@acme.example", address=f"198.51.100.{n}")
        reset(client, bob.email, address=f"198.51.100.{n + 10}")
    unknown = reset(client, "nobody@acme.example", address="198.51.100.50")
    known = reset(client, bob.email, address="198.51.100.51")
    assert unknown.status_code == known.status_code == 429
