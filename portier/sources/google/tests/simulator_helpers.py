"""Shared by the simulator's tests: accounts, clients and small readers of its answers."""

import re
from urllib.parse import parse_qsl, urlsplit

from google.oauth2.credentials import Credentials
from google_auth_oauthlib.flow import Flow
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError

CALENDAR_READONLY = "https://www.googleapis.com/auth/calendar.readonly"
EVENTS_READONLY = "https://www.googleapis.com/auth/calendar.events.readonly"
REDIRECT = "http://127.0.0.1:8000/integrations/google/callback"
BOB = "bob@acme.example"
ALICE = "alice@acme.example"
TEAM = "team@group.calendar.google.com"
RFC3339_MS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


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
