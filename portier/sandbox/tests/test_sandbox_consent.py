"""The sandbox consent page: one sandbox Google serves every company, so a user may connect
their own sandbox account only (named by Portier's signed login_hint), never another's."""

import re
from datetime import UTC, datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pytest
import requests
from django.urls import reverse


def options(html: str) -> list[str]:
    return re.findall(r'<option value="([^"]+)"', html)


def with_query(url: str, **changes) -> str:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    for name, value in changes.items():
        if value is None:
            query.pop(name, None)
        else:
            query[name] = value
    return urlunsplit(parts._replace(query=urlencode(query)))


@pytest.fixture
def consent_url(alice_client, carol, sandbox_google):
    """Where "Connect Google Calendar" sends Alice, with Carol's sandbox calendar next door."""
    sandbox_google.add_account(carol.email, name="Carol")
    sandbox_google.create_event(
        carol.email, summary="Globex merger talk", start=datetime(2030, 5, 6, 10, tzinfo=UTC)
    )
    location = alice_client.post(reverse("integrations:connect", args=["google"]))["Location"]
    assert location.startswith(sandbox_google.auth_uri)
    return location


def test_the_consent_page_offers_only_the_users_own_account(consent_url, alice, carol):
    page = requests.get(consent_url, timeout=10)
    assert page.status_code == 200
    assert options(page.text) == [alice.email]
    assert carol.email not in page.text


@pytest.mark.parametrize(
    "tampered",
    [
        {"login_hint": "carol@globex.example"},  # another user's address, our signature
        {"hint_sig": None},  # no signature
        {"login_hint": None, "hint_sig": None},  # no hint at all
    ],
    ids=["other-hint", "unsigned", "no-hint"],
)
def test_an_edited_authorization_url_gets_an_error_page_not_another_account(consent_url, tampered):
    page = requests.get(with_query(consent_url, **tampered), timeout=10)
    assert page.status_code == 400
    assert "<option" not in page.text and "carol@globex.example" not in page.text


def test_approving_for_another_account_is_refused(consent_url, sandbox_google, carol):
    page = requests.get(consent_url, timeout=10).text
    request_id = re.search(r'name="request_id" value="([^"]+)"', page).group(1)
    action = re.search(r'<form method="post" action="([^"]+)"', page).group(1)
    answer = requests.post(
        action,
        data={"request_id": request_id, "account": carol.email, "decision": "approve"},
        allow_redirects=False,
        timeout=10,
    )
    assert answer.status_code == 400 and "Location" not in answer.headers
    assert not [g for g in sandbox_google.oauth._refresh.values() if g.account == carol.email]


def test_approving_the_own_account_connects_it(consent_url, alice_client, alice, sandbox_google):
    back = sandbox_google.approve_url(consent_url)
    page = alice_client.get(back, follow=True).content.decode()
    assert f"Google Calendar {alice.email} is connected." in page
