"""The Google simulator's faults (rate limits, errors) and push channels."""

import json
import threading
import time
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from googleapiclient.errors import HttpError

from portier.sources.google.tests.simulator_helpers import (
    BOB,
    TEAM,
)

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
