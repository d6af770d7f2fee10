"""The fake's sandbox extras: the control API over HTTP and saving/loading its state."""

import json
import threading
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from portier.sources.google.simulator import FakeGoogle
from portier.sources.google.simulator import state as fake_state

TOKEN = "control-token"
BOB = "bob@acme.example"
SCOPES = ("https://www.googleapis.com/auth/calendar.events.readonly",)


@pytest.fixture
def fake():
    with FakeGoogle(control_token=TOKEN) as fake:
        yield fake


@pytest.fixture
def receiver():
    received = []

    class Receiver(BaseHTTPRequestHandler):
        def do_POST(self):
            received.append(dict(self.headers))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    server.received = received
    server.url = f"http://127.0.0.1:{server.server_address[1]}/integrations/google/notifications/"
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


def control(fake, method, path, body=None, token=TOKEN):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return requests.request(
        method, f"{fake.base_url}/_sandbox/{path}", json=body, headers=headers, timeout=5
    )


def api_get(fake, path, access_token, **params):
    return requests.get(
        fake.api_url + path,
        params=params,
        headers={"Authorization": f"Bearer {access_token}"},
        timeout=5,
    )


def test_control_api_needs_the_token_and_is_off_without_one(fake):
    assert control(fake, "POST", "accounts", {"email": BOB}, token=None).status_code == 401
    assert control(fake, "POST", "accounts", {"email": BOB}, token="wrong").status_code == 401
    with FakeGoogle() as plain:
        answer = control(plain, "POST", "accounts", {"email": BOB})
        assert answer.status_code == 404
        assert not plain.store.accounts


def test_accounts_are_made_once(fake):
    first = control(
        fake, "POST", "accounts", {"email": BOB, "name": "Bob", "time_zone": "Europe/Berlin"}
    )
    again = control(fake, "POST", "accounts", {"email": "BOB@acme.example", "time_zone": "UTC"})
    assert (
        first.json()
        == again.json()
        == {
            "email": BOB,
            "name": "Bob",
            "time_zone": "Europe/Berlin",
            "calendar_id": BOB,
        }
    )
    assert control(fake, "POST", "accounts", {"email": "nobody"}).status_code == 400


def test_events_are_created_changed_and_deleted_with_push(fake, receiver):
    control(fake, "POST", "accounts", {"email": BOB, "time_zone": "Europe/Berlin"})
    fake.channels.watch(
        BOB,
        BOB,
        "res-1",
        "uri",
        {"id": "ch-1", "type": "web_hook", "address": receiver.url, "token": "t"},
    )
    created = control(
        fake,
        "POST",
        f"calendars/{BOB}/events",
        {
            "summary": "Visit",
            "start": "2030-05-06T10:00:00+02:00",
            "end": "2030-05-06T11:00:00+02:00",
            "time_zone": "Europe/Berlin",
            "attendees": ["invite@portier.example", {"email": "guest@initech.example"}],
            "recurrence": ["RRULE:FREQ=WEEKLY;COUNT=3"],
        },
    )
    assert created.status_code == 200, created.text
    event = created.json()
    assert event["start"] == {"dateTime": "2030-05-06T10:00:00+02:00", "timeZone": "Europe/Berlin"}
    assert [a["email"] for a in event["attendees"]] == [
        "invite@portier.example",
        "guest@initech.example",
    ]
    assert event["recurrence"] == ["RRULE:FREQ=WEEKLY;COUNT=3"]

    moved = control(
        fake,
        "PATCH",
        f"calendars/{BOB}/events/{event['id']}",
        {
            "start": "2030-05-06T11:00:00+02:00",
            "end": "2030-05-06T12:00:00+02:00",
            "location": None,
        },
    ).json()
    assert moved["start"]["dateTime"] == "2030-05-06T11:00:00+02:00"
    assert moved["sequence"] == 1
    listed = control(fake, "GET", f"calendars/{BOB}/events").json()["items"]
    assert [e["id"] for e in listed] == [event["id"]]

    assert control(fake, "DELETE", f"calendars/{BOB}/events/{event['id']}").status_code == 204
    assert control(fake, "GET", f"calendars/{BOB}/events").json() == {"items": []}
    assert control(fake, "DELETE", f"calendars/{BOB}/events/{event['id']}").status_code == 400
    assert control(fake, "GET", f"calendars/{BOB}/events/nope").status_code == 404

    fake.wait_for_notifications()
    states = [h["X-Goog-Resource-State"] for h in receiver.received]
    assert states == ["sync", "exists", "exists", "exists"]
    # Control requests are not Google API requests: the request log does not show them.
    assert not [path for _m, path, _q in fake.requests if path.startswith("/_sandbox/")]


def test_bad_fields_are_a_400_in_googles_shape(fake):
    control(fake, "POST", "accounts", {"email": BOB})
    answer = control(fake, "POST", f"calendars/{BOB}/events", {"summary": "x", "colour": "red"})
    assert answer.status_code == 400
    assert answer.json()["error"]["errors"][0]["reason"] == "invalid"
    no_start = control(fake, "POST", f"calendars/{BOB}/events", {"summary": "x"})
    assert no_start.status_code == 400
    backwards = control(
        fake,
        "POST",
        f"calendars/{BOB}/events",
        {"start": "2030-05-06T10:00:00Z", "end": "2030-05-06T09:00:00Z"},
    )
    assert backwards.status_code == 400
    assert (
        control(
            fake, "POST", "calendars/nobody@x.example/events", {"start": "2030-05-06"}
        ).status_code
        == 404
    )


def test_state_survives_a_restart(tmp_path, receiver):
    path = tmp_path / "google.json"
    with FakeGoogle(control_token=TOKEN) as before:
        before.add_account(BOB, name="Bob", time_zone="Europe/Berlin")
        event = before.create_event(
            BOB,
            summary="Weekly",
            start=datetime(2030, 5, 6, 9, 0),
            attendees=["guest@initech.example"],
            recurrence=["RRULE:FREQ=WEEKLY;COUNT=4"],
        )
        before.move_instance(
            BOB, event["id"], datetime(2030, 5, 13, 9, 0), start=datetime(2030, 5, 13, 10, 0)
        )
        before.create_event(BOB, summary="All day", start="2030-06-01")
        tokens = before.issue_tokens(BOB, SCOPES)
        listed = api_get(before, f"calendars/{BOB}/events", tokens["access_token"]).json()
        before.channels.watch(
            BOB,
            BOB,
            "res-1",
            "uri",
            {"id": "ch-1", "type": "web_hook", "address": receiver.url, "token": "t"},
        )
        fake_state.save_file(before, path)
        snapshot = fake_state.dump(before)
        before_events = sorted(e["id"] for e in listed["items"])

    assert oct(path.stat().st_mode & 0o777) == "0o600"
    with FakeGoogle(control_token=TOKEN) as after:
        assert fake_state.load_file(after, path)
        assert fake_state.dump(after) == snapshot
        # The access token, the sync token and the refresh token from before still work.
        again = api_get(after, f"calendars/{BOB}/events", tokens["access_token"]).json()
        assert sorted(e["id"] for e in again["items"]) == before_events
        delta = api_get(
            after,
            f"calendars/{BOB}/events",
            tokens["access_token"],
            syncToken=listed["nextSyncToken"],
        )
        assert delta.status_code == 200 and delta.json()["items"] == []
        refreshed = requests.post(
            after.token_uri,
            data={
                "grant_type": "refresh_token",
                "refresh_token": tokens["refresh_token"],
                "client_id": after.client_id,
                "client_secret": after.client_secret,
            },
            timeout=5,
        )
        assert refreshed.status_code == 200, refreshed.text
        # The channel keeps pushing; a change after the restart is the next message.
        after.update_event(BOB, event["id"], summary="Weekly (renamed)")
        after.wait_for_notifications()
        assert [h["X-Goog-Resource-State"] for h in receiver.received] == ["sync", "exists"]
        assert int(receiver.received[-1]["X-Goog-Message-Number"]) == 2
        series = after.get_event(BOB, event["id"])
        assert series["summary"] == "Weekly (renamed)" and series["sequence"] == 0


def test_autosave_writes_when_something_changed(tmp_path):
    path = tmp_path / "google.json"
    with FakeGoogle(control_token=TOKEN) as fake:
        saver = fake_state.Autosave(fake, path, interval=3600).start()
        assert not saver.save_if_changed() and not path.exists()
        fake.add_account(BOB)
        assert saver.save_if_changed()
        assert json.loads(path.read_text())["accounts"][0]["email"] == BOB
        fake.create_event(BOB, summary="Late", start=datetime.now(UTC) + timedelta(days=1))
        saver.stop()
    assert "Late" in path.read_text()


def test_unknown_state_version_is_refused(tmp_path):
    with FakeGoogle() as fake, pytest.raises(ValueError):
        fake_state.load(fake, {"version": 99})
