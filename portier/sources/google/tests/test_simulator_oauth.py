"""The Google simulator speaks OAuth and the calendar list well enough for Google's own
libraries, unchanged."""

import pytest
import requests
from google.auth.exceptions import RefreshError
from google.auth.transport.requests import Request
from googleapiclient.errors import HttpError
from oauthlib.oauth2.rfc6749.errors import InvalidGrantError

from portier.sources.google.simulator import ConsentError
from portier.sources.google.tests.simulator_helpers import (
    ALICE,
    BOB,
    CALENDAR_READONLY,
    EVENTS_READONLY,
    REDIRECT,
    TEAM,
    consent_form,
    credentials,
    new_flow,
    query_of,
    reason_of,
    service_for,
)

# -- OAuth ----------------------------------------------------------------------------------


def test_consent_page_and_pkce_code_exchange_give_offline_credentials(fake):
    flow = new_flow(fake)
    url, state = flow.authorization_url(access_type="offline", prompt="consent", login_hint=BOB)

    page = requests.get(url, timeout=5)
    assert page.status_code == 200
    action, form = consent_form(page.text)
    assert form["account"] == BOB  # login_hint preselects the account
    answer = requests.post(
        action, data={**form, "decision": "approve"}, allow_redirects=False, timeout=5
    )
    assert answer.status_code == 302
    location = answer.headers["Location"]
    assert location.startswith(REDIRECT + "?")
    params = query_of(location)
    assert params["state"] == state
    assert params["scope"] == CALENDAR_READONLY

    token = flow.fetch_token(code=params["code"])
    flow.oauth2session.close()
    assert token["token_type"] == "Bearer"
    assert token["expires_in"] == 3599
    creds = flow.credentials
    assert creds.refresh_token.startswith("1//")
    service = service_for(fake, creds)
    assert service.calendars().get(calendarId="primary").execute()["id"] == BOB
    service.close()


def test_code_is_single_use_and_needs_the_right_verifier(fake):
    flow = new_flow(fake)
    url, _state = flow.authorization_url(access_type="offline", prompt="consent")
    code = query_of(fake.approve_url(url, account=ALICE))["code"]
    right_verifier = flow.code_verifier

    flow.code_verifier = "x" * 64
    with pytest.raises(InvalidGrantError, match="Invalid code verifier"):
        flow.fetch_token(code=code)
    flow.code_verifier = right_verifier
    flow.fetch_token(code=code)
    with pytest.raises(InvalidGrantError):
        flow.fetch_token(code=code)
    flow.oauth2session.close()


def test_deny_redirects_with_access_denied(fake):
    url, state = new_flow(fake).authorization_url(access_type="offline", prompt="consent")
    action, form = consent_form(requests.get(url, timeout=5).text)

    answer = requests.post(
        action, data={**form, "decision": "deny"}, allow_redirects=False, timeout=5
    )

    assert answer.status_code == 302
    assert query_of(answer.headers["Location"]) == {"state": state, "error": "access_denied"}
    assert query_of(fake.approve_url(url, deny=True))["error"] == "access_denied"


def test_unknown_client_or_redirect_uri_gets_an_error_page_not_a_redirect(fake):
    fake.add_client("strict-client", "s3cret", redirect_uris=[REDIRECT])
    url, _state = new_flow(fake).authorization_url()
    wrong_redirect = url.replace(fake.client_id, "strict-client").replace("8000", "8001")
    unknown_client = url.replace(fake.client_id, "nobody")

    page = requests.get(wrong_redirect, allow_redirects=False, timeout=5)
    assert page.status_code == 400
    assert "redirect_uri_mismatch" in page.text
    page = requests.get(unknown_client, allow_redirects=False, timeout=5)
    assert page.status_code == 401
    assert "invalid_client" in page.text
    with pytest.raises(ConsentError):
        fake.approve_url(unknown_client)


def test_refresh_token_only_offline_and_again_only_with_prompt_consent(fake):
    def tokens(**params):
        flow = new_flow(fake)
        url, _state = flow.authorization_url(**params)
        token = flow.fetch_token(code=query_of(fake.approve_url(url))["code"])
        flow.oauth2session.close()
        return token

    assert "refresh_token" not in tokens(access_type="online")
    assert "refresh_token" in tokens(access_type="offline")
    assert "refresh_token" not in tokens(access_type="offline")
    assert "refresh_token" in tokens(access_type="offline", prompt="consent")


def test_wrong_client_secret_is_invalid_client(fake):
    creds = credentials(fake, secret="wrong")
    with pytest.raises(RefreshError, match="invalid_client"):
        creds.refresh(Request())


def test_expired_access_token_is_refreshed_by_the_client(fake, calendar):
    creds = calendar._http.credentials
    old_token = creds.token
    fake.expire_access_tokens(BOB)

    calendar.calendarList().list().execute()

    assert creds.token != old_token
    assert [path for _method, path, _query in fake.requests].count("/token") == 1


def test_revoked_grant_refresh_fails_with_invalid_grant(fake, calendar):
    creds = calendar._http.credentials
    answer = requests.post(fake.revoke_uri, data={"token": creds.refresh_token}, timeout=5)
    assert answer.status_code == 200
    assert fake.revoked_tokens == [creds.refresh_token]

    # Revoking the refresh token also kills its access tokens, so the client must refresh.
    with pytest.raises(RefreshError, match="invalid_grant: Token has been expired or revoked."):
        calendar.calendarList().list().execute()
    answer = requests.post(fake.revoke_uri, data={"token": creds.refresh_token}, timeout=5)
    assert answer.status_code == 400
    assert answer.json()["error"] == "invalid_token"


def test_revoke_account_tokens(fake):
    creds = credentials(fake)
    fake.revoke_account_tokens(BOB)
    with pytest.raises(RefreshError, match="invalid_grant"):
        creds.refresh(Request())


def test_missing_or_unknown_bearer_token_is_401_in_googles_shape(fake):
    url = fake.api_url + "users/me/calendarList"
    for headers in ({}, {"Authorization": "Bearer ya29.nonsense"}):
        answer = requests.get(url, headers=headers, timeout=5)
        assert answer.status_code == 401
        assert answer.json() == {
            "error": {
                "errors": [
                    {
                        "domain": "global",
                        "reason": "authError",
                        "message": "Invalid Credentials",
                        "locationType": "header",
                        "location": "Authorization",
                    }
                ],
                "code": 401,
                "message": "Invalid Credentials",
            }
        }


def test_scopes_are_enforced(fake):
    service = service_for(fake, credentials(fake, scopes=(EVENTS_READONLY,)))
    service.events().list(calendarId="primary").execute()
    with pytest.raises(HttpError) as error:
        service.calendarList().list().execute()
    service.close()
    assert error.value.status_code == 403
    assert reason_of(error.value) == "insufficientPermissions"


# -- calendars ------------------------------------------------------------------------------


def test_calendar_list_and_primary_alias(fake, calendar):
    listing = calendar.calendarList().list().execute()

    assert listing["kind"] == "calendar#calendarList"
    assert "nextSyncToken" in listing
    primary, team = listing["items"]
    assert (primary["id"], primary["primary"], primary["accessRole"]) == (BOB, True, "owner")
    assert primary["timeZone"] == "Europe/Berlin"
    assert (team["id"], team["summary"], "primary" in team) == (TEAM, "Team", False)
    assert calendar.calendars().get(calendarId="primary").execute()["id"] == BOB
    with pytest.raises(HttpError) as error:
        calendar.calendars().get(calendarId=ALICE).execute()
    assert error.value.status_code == 404


def test_calendar_list_pages(fake, calendar):
    for n in range(3):
        fake.add_calendar(BOB, f"room{n}@resource.calendar.google.com", f"Room {n}")
    first = calendar.calendarList().list(maxResults=3).execute()
    second = calendar.calendarList().list(maxResults=3, pageToken=first["nextPageToken"])
    second = second.execute()
    ids = [item["id"] for item in first["items"] + second["items"]]
    assert len(ids) == 5
    assert "nextSyncToken" not in first
    assert "nextPageToken" not in second
    assert "nextSyncToken" in second
