"""The Google fake speaks the protocol well enough for Google's own libraries, unchanged."""

import json
import re
import threading
import time
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

import pytest
import requests
from google.auth.exceptions import RefreshError
from google.auth.transport.requests import Request
from google.oauth2.credentials import Credentials
from google_auth_oauthlib.flow import Flow
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError
from oauthlib.oauth2.rfc6749.errors import InvalidGrantError

from portier.testing.fakes.google import ConsentError, FakeGoogle

CALENDAR_READONLY = "https://www.googleapis.com/auth/calendar.readonly"
EVENTS_READONLY = "https://www.googleapis.com/auth/calendar.events.readonly"
REDIRECT = "http://127.0.0.1:8000/integrations/google/callback"
BOB = "bob@acme.example"
ALICE = "alice@acme.example"
TEAM = "team@group.calendar.google.com"
RFC3339_MS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


@pytest.fixture
def fake():
    with FakeGoogle() as fake:
        fake.add_account(
            BOB,
            name="Bob",
            time_zone="Europe/Berlin",
            calendars=[{"calendar_id": TEAM, "summary": "Team"}],
        )
        fake.add_account(ALICE, name="Alice")
        yield fake


@pytest.fixture(autouse=True)
def insecure_transport(monkeypatch):
    """oauthlib refuses http:// endpoints unless told that this is a loopback test."""
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")


def credentials(fake, email=BOB, scopes=(CALENDAR_READONLY,), secret=None):
    token = fake.issue_tokens(email, scopes)
    return Credentials(
        token=token["access_token"],
        refresh_token=token["refresh_token"],
        token_uri=fake.token_uri,
        client_id=fake.client_id,
        client_secret=secret or fake.client_secret,
        scopes=list(scopes),
    )


def service_for(fake, creds):
    return build(
        "calendar",
        "v3",
        credentials=creds,
        static_discovery=True,
        cache_discovery=False,
        client_options={"api_endpoint": fake.api_url},
    )


@pytest.fixture
def calendar(fake):
    service = service_for(fake, credentials(fake))
    yield service
    service.close()


def new_flow(fake, **kwargs):
    config = fake.client_config(REDIRECT)
    return Flow.from_client_config(
        config,
        scopes=[CALENDAR_READONLY],
        redirect_uri=REDIRECT,
        autogenerate_code_verifier=True,
        **kwargs,
    )


def consent_form(html):
    """The consent page's form, read the way a browser would submit it."""
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))
    fields["account"] = re.search(r'<option value="([^"]+)" selected>', html).group(1)
    action = re.search(r'<form method="post" action="([^"]+)"', html).group(1)
    return action, fields


def query_of(url):
    return dict(parse_qsl(urlsplit(url).query))


def full_sync(service, calendar_id=BOB, **params):
    items, page_token = [], None
    while True:
        page = service.events().list(calendarId=calendar_id, pageToken=page_token, **params)
        page = page.execute()
        items += page["items"]
        page_token = page.get("nextPageToken")
        if not page_token:
            return items, page["nextSyncToken"]


def reason_of(error: HttpError) -> str:
    return error.error_details[0]["reason"]


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


# -- events.list ----------------------------------------------------------------------------


def test_events_list_pages_with_sync_token_only_on_the_last_page(fake, calendar):
    start = datetime(2030, 5, 6, 9, 0)
    created = [
        fake.create_event(BOB, summary=f"Visit {n}", start=start + timedelta(days=n))["id"]
        for n in range(7)
    ]

    pages, page_token = [], None
    while True:
        page = calendar.events().list(calendarId=BOB, maxResults=3, pageToken=page_token)
        page = page.execute()
        pages.append(page)
        page_token = page.get("nextPageToken")
        if not page_token:
            break

    assert [len(page["items"]) for page in pages] == [3, 3, 1]
    assert ["nextSyncToken" in page for page in pages] == [False, False, True]
    assert ["nextPageToken" in page for page in pages] == [True, True, False]
    assert sorted(item["id"] for page in pages for item in page["items"]) == sorted(created)
    assert pages[0]["kind"] == "calendar#events"
    assert pages[0]["timeZone"] == "Europe/Berlin"


def test_event_fields_look_like_googles(fake, calendar):
    fake.create_event(
        BOB,
        summary="Visit from Globex",
        description="Contract talk",
        location="Room 1",
        start=datetime(2030, 5, 6, 10, 30),
        end=datetime(2030, 5, 6, 11, 30),
        attendees=[("carol@globex.example", "Carol"), "invite@portier.example", BOB],
    )
    fake.create_event(BOB, summary="Off-site", start=date(2030, 5, 8), end=date(2030, 5, 10))

    timed, all_day = calendar.events().list(calendarId="primary").execute()["items"]

    assert timed["kind"] == "calendar#event"
    assert timed["status"] == "confirmed"
    assert re.fullmatch(r'"\d+"', timed["etag"])
    assert re.fullmatch(r"[0-9a-v]{26}", timed["id"])
    assert timed["iCalUID"] == timed["id"] + "@google.com"
    assert RFC3339_MS.match(timed["created"]) and RFC3339_MS.match(timed["updated"])
    assert timed["htmlLink"].startswith("https://www.google.com/calendar/event?eid=")
    assert timed["start"] == {"dateTime": "2030-05-06T10:30:00+02:00", "timeZone": "Europe/Berlin"}
    assert timed["organizer"] == {"email": BOB, "displayName": "Bob", "self": True}
    assert timed["attendees"] == [
        {"email": "carol@globex.example", "displayName": "Carol", "responseStatus": "needsAction"},
        {"email": "invite@portier.example", "responseStatus": "needsAction"},
        {"email": BOB, "organizer": True, "responseStatus": "accepted", "self": True},
    ]
    assert (timed["sequence"], timed["reminders"]) == (0, {"useDefault": True})
    assert (all_day["start"], all_day["end"]) == ({"date": "2030-05-08"}, {"date": "2030-05-10"})


def test_incremental_sync_returns_update_and_bare_deletion(fake, calendar):
    kept = fake.create_event(BOB, summary="Visit", start=datetime(2030, 5, 6, 9, 0))
    doomed = fake.create_event(BOB, summary="Audit", start=datetime(2030, 5, 7, 9, 0))
    _items, token = full_sync(calendar)

    fake.update_event(BOB, kept["id"], location="Room 2")
    fake.delete_event(BOB, doomed["id"])
    changes, token = full_sync(calendar, syncToken=token)

    by_id = {item["id"]: item for item in changes}
    assert by_id[kept["id"]]["location"] == "Room 2"
    assert by_id[kept["id"]]["sequence"] == 0  # not a time change
    assert by_id[kept["id"]]["etag"] != kept["etag"]
    assert by_id[doomed["id"]] == {
        "kind": "calendar#event",
        "etag": by_id[doomed["id"]]["etag"],
        "id": doomed["id"],
        "status": "cancelled",
    }
    fake.update_event(BOB, kept["id"], start=datetime(2030, 5, 6, 10, 0))
    (moved,), token = full_sync(calendar, syncToken=token)
    assert moved["sequence"] == 1
    assert moved["end"]["dateTime"] == "2030-05-06T11:00:00+02:00"  # duration kept
    assert full_sync(calendar, syncToken=token)[0] == []
    # A full sync carries no tombstones unless asked to.
    assert doomed["id"] not in {item["id"] for item in full_sync(calendar)[0]}
    assert doomed["id"] in {item["id"] for item in full_sync(calendar, showDeleted=True)[0]}


@pytest.mark.parametrize(
    "param",
    [{"timeMin": "2030-01-01T00:00:00Z"}, {"q": "visit"}, {"updatedMin": "2030-01-01T00:00:00Z"}],
)
def test_sync_token_cannot_be_combined_with_filters(fake, calendar, param):
    _items, token = full_sync(calendar)
    with pytest.raises(HttpError) as error:
        calendar.events().list(calendarId=BOB, syncToken=token, **param).execute()
    assert error.value.status_code == 400


def test_invalidated_sync_token_answers_410_full_sync_required(fake, calendar):
    _items, token = full_sync(calendar)
    fake.invalidate_sync_tokens(BOB)

    for stale in (token, "CPDAlvWDx70CEPDAlvWDx70CGAU="):
        with pytest.raises(HttpError) as error:
            calendar.events().list(calendarId=BOB, syncToken=stale).execute()
        assert error.value.status_code == 410
        assert reason_of(error.value) == "fullSyncRequired"
    _items, token = full_sync(calendar)
    assert full_sync(calendar, syncToken=token)[0] == []


def test_page_token_belongs_to_its_query(fake, calendar):
    for n in range(3):
        fake.create_event(BOB, summary=f"Visit {n}", start=datetime(2030, 5, 6 + n, 9, 0))
    page = calendar.events().list(calendarId=BOB, maxResults=2).execute()
    with pytest.raises(HttpError) as error:
        calendar.events().list(
            calendarId=BOB, maxResults=2, pageToken=page["nextPageToken"], showDeleted=True
        ).execute()
    assert error.value.status_code == 400


def test_time_window_text_and_ical_uid_filters(fake, calendar):
    early = fake.create_event(BOB, summary="Breakfast", start=datetime(2030, 5, 6, 8, 0))
    late = fake.create_event(BOB, summary="Dinner with Globex", start=datetime(2030, 5, 6, 19, 0))

    def ids(**params):
        return [item["id"] for item in full_sync(calendar, **params)[0]]

    assert ids(timeMin="2030-05-06T12:00:00+02:00") == [late["id"]]
    assert ids(timeMax="2030-05-06T12:00:00+02:00") == [early["id"]]
    assert ids(q="globex") == [late["id"]]
    assert ids(iCalUID=early["iCalUID"]) == [early["id"]]
    got = calendar.events().get(calendarId="primary", eventId=late["id"]).execute()
    assert got["summary"] == "Dinner with Globex"


def test_a_change_made_while_paging_reaches_the_next_sync(fake, calendar):
    events = [
        fake.create_event(BOB, summary=f"Visit {n}", start=datetime(2030, 5, 6 + n, 9, 0))
        for n in range(4)
    ]
    listing = calendar.events()
    pages = [listing.list(calendarId=BOB, maxResults=2).execute()]
    fake.update_event(BOB, events[0]["id"], summary="Changed while paging")  # already seen
    while "nextPageToken" in pages[-1]:
        page_token = pages[-1]["nextPageToken"]
        pages.append(listing.list(calendarId=BOB, maxResults=2, pageToken=page_token).execute())
    token = pages[-1]["nextSyncToken"]
    # Ordered by last change, the event comes round again in this chain, and in the next.
    assert [item["summary"] for item in pages[-1]["items"]] == ["Changed while paging"]

    changes, _token = full_sync(calendar, syncToken=token)

    assert [item["summary"] for item in changes] == ["Changed while paging"]


def test_deleting_a_series(fake, calendar):
    series = fake.create_event(
        BOB,
        summary="Weekly",
        start=datetime(2030, 5, 6, 9, 0),
        recurrence=["RRULE:FREQ=WEEKLY;COUNT=2"],
    )
    _items, plain_token = full_sync(calendar)
    _items, single_token = full_sync(calendar, singleEvents=True)

    fake.delete_event(BOB, series["id"])

    (gone,), _token = full_sync(calendar, syncToken=plain_token)
    assert gone == {
        "kind": "calendar#event",
        "etag": gone["etag"],
        "id": series["id"],
        "status": "cancelled",
    }
    instances, _token = full_sync(calendar, syncToken=single_token, singleEvents=True)
    assert [(item["status"], item["recurringEventId"]) for item in instances] == [
        ("cancelled", series["id"])
    ] * 2


# -- recurring events -----------------------------------------------------------------------


def test_single_events_expand_a_weekly_series_and_show_a_cancelled_instance(fake, calendar):
    series = fake.create_event(
        BOB,
        summary="Weekly supplier visit",
        start=datetime(2030, 3, 18, 9, 0),  # Europe/Berlin; DST starts on 31 March 2030
        recurrence=["RRULE:FREQ=WEEKLY;COUNT=4"],
        attendees=[("supplier@example.com", "Supplier")],
    )
    instances, token = full_sync(calendar, singleEvents=True)
    assert [item["id"] for item in instances] == [
        f"{series['id']}_20300318T080000Z",
        f"{series['id']}_20300325T080000Z",
        f"{series['id']}_20300401T070000Z",
        f"{series['id']}_20300408T070000Z",
    ]
    assert {item["start"]["dateTime"][11:] for item in instances} == {
        "09:00:00+01:00",
        "09:00:00+02:00",
    }
    assert all(item["recurringEventId"] == series["id"] for item in instances)
    assert all(item["iCalUID"] == series["iCalUID"] for item in instances)
    assert "recurrence" not in instances[0]

    fake.cancel_instance(BOB, series["id"], datetime(2030, 3, 25, 9, 0))
    (cancelled,), token = full_sync(calendar, syncToken=token, singleEvents=True)

    assert cancelled == {
        "kind": "calendar#event",
        "etag": cancelled["etag"],
        "id": f"{series['id']}_20300325T080000Z",
        "status": "cancelled",
        "recurringEventId": series["id"],
        "originalStartTime": {"dateTime": "2030-03-25T09:00:00+01:00", "timeZone": "Europe/Berlin"},
    }
    assert len(full_sync(calendar, singleEvents=True)[0]) == 3
    # Without singleEvents: the series itself, and its cancelled exception.
    master, exception = full_sync(calendar)[0]
    assert master["recurrence"] == ["RRULE:FREQ=WEEKLY;COUNT=4"]
    assert exception["id"] == cancelled["id"]


def test_moved_instance_keeps_its_original_start(fake, calendar):
    series = fake.create_event(
        BOB,
        summary="Daily stand-up",
        start=datetime(2030, 5, 6, 9, 0),
        recurrence=["RRULE:FREQ=DAILY;INTERVAL=2;UNTIL=20300512T235959Z"],
    )
    fake.move_instance(
        BOB, series["id"], datetime(2030, 5, 8, 9, 0), start=datetime(2030, 5, 8, 11, 0)
    )

    instances, _token = full_sync(calendar, singleEvents=True, orderBy="startTime")

    assert [item["start"]["dateTime"] for item in instances] == [
        "2030-05-06T09:00:00+02:00",
        "2030-05-08T11:00:00+02:00",
        "2030-05-10T09:00:00+02:00",
        "2030-05-12T09:00:00+02:00",
    ]
    moved = instances[1]
    assert moved["id"] == f"{series['id']}_20300508T070000Z"
    assert moved["originalStartTime"]["dateTime"] == "2030-05-08T09:00:00+02:00"
    assert moved["sequence"] == 1
    listed = calendar.events().instances(calendarId=BOB, eventId=series["id"]).execute()
    assert [item["id"] for item in listed["items"]] == [item["id"] for item in instances]


def test_weekly_byday_series_bounded_by_time_max(fake, calendar):
    fake.create_event(
        BOB,
        summary="Office days",
        start=datetime(2030, 5, 6, 8, 0),
        recurrence=["RRULE:FREQ=WEEKLY;BYDAY=MO,WE"],
    )
    instances, _token = full_sync(
        calendar,
        singleEvents=True,
        timeMin="2030-05-07T00:00:00Z",
        timeMax="2030-05-21T00:00:00Z",
    )
    assert [item["start"]["dateTime"][:10] for item in instances] == [
        "2030-05-08",
        "2030-05-13",
        "2030-05-15",
        "2030-05-20",
    ]


# -- faults ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "reason", "domain"),
    [
        (403, "rateLimitExceeded", "usageLimits"),
        (403, "userRateLimitExceeded", "usageLimits"),
        (429, "rateLimitExceeded", "usageLimits"),
        (500, "backendError", "global"),
    ],
)
def test_injected_faults_surface_as_http_errors(fake, calendar, status, reason, domain):
    fake.fail_next(1, status=status, reason=reason)
    with pytest.raises(HttpError) as error:
        calendar.events().list(calendarId=BOB).execute()
    assert error.value.status_code == status
    assert error.value.error_details[0]["reason"] == reason
    assert error.value.error_details[0]["domain"] == domain
    body = json.loads(error.value.content)
    assert body["error"]["code"] == status
    calendar.events().list(calendarId=BOB).execute()  # only the next request failed


def test_faults_can_be_scoped_to_a_path_and_latency_added(fake, calendar):
    fake.fail_next(2, status=500, path_prefix="/calendar/v3/calendars/")
    calendar.calendarList().list().execute()
    for _ in range(2):
        with pytest.raises(HttpError):
            calendar.events().list(calendarId=BOB).execute()
    fake.latency = 0.2
    began = time.monotonic()
    calendar.events().list(calendarId=BOB).execute()
    assert time.monotonic() - began >= 0.2


# -- push -----------------------------------------------------------------------------------


@pytest.fixture
def receiver():
    """A webhook endpoint on loopback that records what it is sent."""
    received = []

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            received.append((self.headers, self.rfile.read(length)))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    server.received = received
    server.url = f"http://127.0.0.1:{server.server_address[1]}/webhooks/google"
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


def test_watch_sends_sync_then_exists_until_the_channel_is_stopped(fake, calendar, receiver):
    body = {
        "id": "channel-1",
        "type": "web_hook",
        "address": receiver.url,
        "token": "per-channel-secret",
        "params": {"ttl": "3600"},
    }
    channel = calendar.events().watch(calendarId="primary", body=body).execute()

    assert channel["kind"] == "api#channel"
    assert (channel["id"], channel["token"]) == ("channel-1", "per-channel-secret")
    assert channel["resourceUri"].startswith(fake.api_url + "calendars/primary/events")
    expires = int(channel["expiration"]) / 1000 - time.time()
    assert 3500 < expires <= 3600
    fake.wait_for_notifications()
    fake.create_event(BOB, summary="Visit", start=datetime(2030, 5, 6, 9, 0))
    fake.create_event(TEAM, summary="Not watched", start=datetime(2030, 5, 6, 9, 0))
    fake.wait_for_notifications()

    (sync_headers, sync_body), (exists_headers, _body) = receiver.received
    assert sync_body == b""
    assert sync_headers["X-Goog-Resource-State"] == "sync"
    assert sync_headers["X-Goog-Message-Number"] == "1"
    assert sync_headers["X-Goog-Channel-ID"] == "channel-1"
    assert sync_headers["X-Goog-Channel-Token"] == "per-channel-secret"
    assert sync_headers["X-Goog-Resource-ID"] == channel["resourceId"]
    assert sync_headers["X-Goog-Resource-URI"] == channel["resourceUri"]
    expiration = parsedate_to_datetime(sync_headers["X-Goog-Channel-Expiration"])
    assert abs(expiration.timestamp() - int(channel["expiration"]) / 1000) < 1
    assert exists_headers["X-Goog-Resource-State"] == "exists"
    assert int(exists_headers["X-Goog-Message-Number"]) > 1
    assert [n.resource_state for n in fake.notifications_sent] == ["sync", "exists"]

    calendar.channels().stop(
        body={"id": "channel-1", "resourceId": channel["resourceId"]}
    ).execute()
    fake.create_event(BOB, summary="Unseen", start=datetime(2030, 5, 7, 9, 0))
    fake.wait_for_notifications()
    assert len(receiver.received) == 2
    with pytest.raises(HttpError) as error:
        calendar.channels().stop(
            body={"id": "channel-1", "resourceId": channel["resourceId"]}
        ).execute()
    assert error.value.status_code == 404


def test_push_tolerates_a_receiver_that_is_down(fake, calendar):
    closed = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    address = f"http://127.0.0.1:{closed.server_address[1]}/hook"
    closed.server_close()
    body = {"id": "channel-2", "type": "web_hook", "address": address}

    calendar.events().watch(calendarId=BOB, body=body).execute()
    fake.create_event(BOB, summary="Visit", start=datetime(2030, 5, 6, 9, 0, tzinfo=UTC))

    sent = fake.wait_for_notifications()
    assert [(n.resource_state, n.status) for n in sent] == [("sync", None), ("exists", None)]
    assert all(n.error.startswith("ConnectionRefusedError") for n in sent)
