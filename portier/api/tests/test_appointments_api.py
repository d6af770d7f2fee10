"""/api/v1/appointments: list with filters and paging, details, manual create/change/cancel,
409 for synced ones, readable validation errors, and tenancy."""

import uuid
from datetime import timedelta
from email.utils import parseaddr

import pytest

from portier.invitations.kinds import Kind
from portier.outbox.models import Notification
from portier.visits.models import Appointment, GuestKind
from portier.visits.services import GuestInfo
from portier.visits.tests.helpers import appointment, at, synced

pytestmark = pytest.mark.django_db
URL = "/api/v1/appointments"


def body_for(location, *, start=None, **extra):
    start = start or at(days=4, hour=9)
    return {
        "title": "Site visit",
        "location_id": location.pk,
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=1)).isoformat(),
        "description": "Wear boots.",
        "guests": [
            {"first_name": "Ann", "last_name": "Arbor", "email": "ann@example.org"},
            {"first_name": "Ben", "last_name": "Bauer", "email": "ben@example.net"},
        ],
    } | extra


def post(client, headers, data, **more):
    return client.post(URL, data, content_type="application/json", **headers, **more)


def patch(client, headers, pk, data):
    return client.patch(f"{URL}/{pk}", data, content_type="application/json", **headers)


def test_list_with_filters_and_paging(client, api_token, alice, bob, acme, acme_hq):
    from portier.testing.factories import LocationFactory

    branch = LocationFactory(company=acme, name="Branch")
    for day in range(1, 6):
        appointment(alice, acme_hq, title=f"HQ {day}", start=at(days=day))
    appointment(bob, branch, title="Branch visit", start=at(days=2))
    headers = api_token(alice)
    everything = client.get(URL, **headers).json()
    assert everything["count"] == 6
    assert [a["title"] for a in everything["items"]][:3] == ["HQ 1", "HQ 2", "Branch visit"]
    first = everything["items"][0]
    assert first["guest_count"] == 2 and first["source"] == "manual"
    assert first["read_only"] is False and first["time_zone"] == "Europe/Berlin"
    assert first["host_email"] == "alice@acme.example" and first["location_name"] == "Acme HQ"
    page = client.get(URL, {"limit": 2, "offset": 2}, **headers).json()
    assert page["count"] == 6 and [a["title"] for a in page["items"]] == ["Branch visit", "HQ 3"]
    ranged = client.get(
        URL,
        {"from": at(days=2, hour=0).isoformat(), "to": at(days=4, hour=0).isoformat()},
        **headers,
    ).json()
    assert [a["title"] for a in ranged["items"]] == ["HQ 2", "Branch visit", "HQ 3"]
    at_branch = client.get(URL, {"location_id": branch.pk}, **headers).json()
    assert [a["title"] for a in at_branch["items"]] == ["Branch visit"]


def test_bob_lists_only_his_own(client, api_token, alice, bob, acme_hq):
    appointment(alice, acme_hq, title="Alice's")
    appointment(bob, acme_hq, title="Bob's")
    items = client.get(URL, **api_token(bob)).json()["items"]
    assert [a["title"] for a in items] == ["Bob's"]


def test_detail_has_guests_with_statuses_source_and_sync_log(
    client, api_token, bob, acme_hq, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        made = synced(
            bob,
            acme_hq,
            guests=[
                GuestInfo("ann@example.org", "Ann"),
                GuestInfo("dora@acme.example", "Dora", kind=GuestKind.COLLEAGUE),
            ],
        )
    data = client.get(f"{URL}/{made.pk}", **api_token(bob)).json()
    assert data["source"] == "google" and data["read_only"] is True
    assert data["managed_in"] == "Google Calendar" and data["html_link"].startswith("https://")
    assert [(g["email"], g["invitation"], g["invitation_kind"]) for g in data["guests"]] == [
        ("ann@example.org", "sent", "invitation")
    ]
    assert data["guests"][0]["sent_at"]
    assert [c["email"] for c in data["colleagues"]] == ["dora@acme.example"]
    assert [e["action"] for e in data["sync_log"]] == ["picked_up"]


def test_create_manual_appointment_invites_each_guest(
    client, api_token, bob, acme_hq, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, api_token(bob), body_for(acme_hq))
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["title"] == "Site visit" and data["read_only"] is False
    assert data["description"] == "Wear boots."
    assert {g["email"]: g["invitation"] for g in data["guests"]} == {
        "ann@example.org": "queued",
        "ben@example.net": "queued",
    }
    assert sorted(parseaddr(m.to[0])[1] for m in mailoutbox) == [
        "ann@example.org",
        "ben@example.net",
    ]
    detail = client.get(f"{URL}/{data['id']}", **api_token(bob)).json()
    assert {g["invitation"] for g in detail["guests"]} == {"sent"}


def test_naive_times_are_local_to_the_location(client, api_token, bob, acme_hq):
    body = body_for(acme_hq, starts_at="2031-07-01T09:00:00", ends_at="2031-07-01T10:00:00")
    data = post(client, api_token(bob), body).json()
    assert data["starts_at"].startswith("2031-07-01T07:00:00")  # 09:00 CEST


def test_repeated_request_with_the_same_key_creates_one(client, api_token, bob, acme_hq):
    key = str(uuid.uuid4())
    first = post(client, api_token(bob), body_for(acme_hq, idempotency_key=key))
    second = post(client, api_token(bob), body_for(acme_hq, idempotency_key=key))
    third = post(client, api_token(bob), body_for(acme_hq), HTTP_IDEMPOTENCY_KEY=key)
    assert (first.status_code, second.status_code, third.status_code) == (201, 200, 200)
    assert Appointment.objects.count() == 1


def test_a_key_used_by_someone_else_never_returns_their_appointment(
    client, api_token, bob, alice, carol, acme_hq, globex_office
):
    from portier.companies.models import Role
    from portier.testing.factories import make_member

    key = "7d1c0f5e-2f7c-4c39-9c59-0b5f8b1f2a61"
    first = post(client, api_token(bob), body_for(acme_hq, idempotency_key=key))
    dave = make_member(bob.company, email="dave@acme.example", name="Dave", role=Role.HOST)
    other = post(client, api_token(dave), body_for(acme_hq, idempotency_key=key))
    assert other.status_code == 400 and "already used" in other.json()["detail"]
    foreign = post(client, api_token(carol), body_for(globex_office, idempotency_key=key))
    assert foreign.status_code == 400
    assert first.json()["title"] not in other.content.decode()


def test_validation_errors_are_readable(client, api_token, bob, acme_hq):
    headers = api_token(bob)
    start = at(days=4, hour=9)
    backwards = post(
        client, headers, body_for(acme_hq, ends_at=(start - timedelta(hours=1)).isoformat())
    )
    assert backwards.status_code == 400
    assert backwards.json() == {"detail": "The end must be after the start.", "field": "ends_at"}
    past = post(client, headers, body_for(acme_hq, start=at(days=-2)))
    assert past.json()["detail"] == "The start is in the past."
    bad_email = post(client, headers, body_for(acme_hq, guests=[{"email": "not-an-address"}]))
    assert bad_email.json()["detail"] == "not-an-address is not a valid e-mail address."
    missing = post(client, headers, {"title": "x"})
    assert missing.status_code == 422 and "location_id" in missing.json()["detail"]
    assert not Appointment.objects.exists()


def test_patch_sends_updates_and_delete_cancels(
    client, api_token, bob, acme_hq, mailoutbox, django_capture_on_commit_callbacks
):
    headers = api_token(bob)
    with django_capture_on_commit_callbacks(execute=True):
        pk = post(client, headers, body_for(acme_hq)).json()["id"]
    mailoutbox.clear()
    later = at(days=4, hour=15)
    with django_capture_on_commit_callbacks(execute=True):
        changed = patch(
            client,
            headers,
            pk,
            {"starts_at": later.isoformat(), "ends_at": (later + timedelta(hours=1)).isoformat()},
        )
    assert changed.status_code == 200, changed.content
    assert [m.subject.split(":")[0] for m in mailoutbox] == ["Changed", "Changed"]
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        patch(client, headers, pk, {"description": "Wear boots and a helmet."})
    assert [m.subject.split(":")[0] for m in mailoutbox] == ["Changed", "Changed"]
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        gone = client.delete(f"{URL}/{pk}", **headers)
    assert gone.status_code == 204
    assert sorted(m.subject.split(":")[0] for m in mailoutbox) == ["Cancelled", "Cancelled"]
    kinds = list(Notification.objects.filter(appointment_id=pk).values_list("kind", flat=True))
    assert kinds.count(Kind.CANCELLATION) == 2
    again = client.delete(f"{URL}/{pk}", **headers)
    assert again.status_code == 400


def test_synced_appointment_answers_409(client, api_token, bob, acme_hq):
    made = synced(bob, acme_hq)
    headers = api_token(bob)
    changed = patch(client, headers, made.pk, {"title": "Renamed"})
    assert changed.status_code == 409
    assert changed.json()["detail"] == "Managed in Google Calendar: change it there."
    cancelled = client.delete(f"{URL}/{made.pk}", **headers)
    assert cancelled.status_code == 409 and "Google Calendar" in cancelled.json()["detail"]
    made.refresh_from_db()
    assert made.title == "Board meeting" and not made.is_cancelled


def test_hosts_cannot_invite_for_colleagues_admins_can(client, api_token, alice, bob, acme_hq):
    denied = post(client, api_token(bob), body_for(acme_hq, host_id=alice.pk))
    assert denied.status_code == 400 and denied.json()["field"] == "host"
    allowed = post(client, api_token(alice), body_for(acme_hq, host_id=bob.pk))
    assert allowed.status_code == 201 and allowed.json()["host_email"] == "bob@acme.example"


def test_carol_gets_404_on_every_route_of_acme(client, api_token, carol, bob, acme_hq):
    made = appointment(bob, acme_hq)
    headers = api_token(carol)
    assert client.get(f"{URL}/{made.pk}", **headers).status_code == 404
    assert patch(client, headers, made.pk, {"title": "x"}).status_code == 404
    assert client.delete(f"{URL}/{made.pk}", **headers).status_code == 404
    assert post(client, headers, body_for(acme_hq)).status_code == 404  # Acme's location
    assert client.get(URL, **headers).json() == {"items": [], "count": 0}
    listed = client.get(URL, {"location_id": acme_hq.pk}, **headers).json()
    assert listed["count"] == 0
    made.refresh_from_db()
    assert made.title == "Visit" and not made.is_cancelled


def test_bob_gets_404_for_alices_appointment(client, api_token, alice, bob, acme_hq):
    made = appointment(alice, acme_hq)
    assert client.get(f"{URL}/{made.pk}", **api_token(bob)).status_code == 404
    assert client.get(f"{URL}/{made.pk}", **api_token(alice)).status_code == 200


def test_needs_a_token(client):
    assert client.get(URL).status_code == 401
