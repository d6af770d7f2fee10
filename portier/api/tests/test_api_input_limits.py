"""Bad input to the API gets a 4xx with a reason, never a 500: numbers the database cannot
hold, nulls for columns that cannot be null, sizes past the limits (issue 11, items 9, 10, 12)."""

import json
from datetime import timedelta

import pytest
from django.test import Client

from portier.accounts.models import User
from portier.visits import limits
from portier.visits.models import Appointment, AppointmentVersion, Guest
from portier.visits.tests.helpers import appointment, at

pytestmark = pytest.mark.django_db
URL = "/api/v1/appointments"
HUGE = "6224566386854350610366110770615287808"


@pytest.fixture
def client():
    """Answers 500 like production instead of raising: the tests look at the status."""
    return Client(raise_request_exception=False)


def body_for(location, **extra):
    start = at(days=4, hour=9)
    return {
        "title": "Site visit",
        "location_id": location.pk,
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=1)).isoformat(),
        "guests": [{"email": "ann@example.org", "name": "Ann Arbor"}],
    } | extra


def post(client, headers, data):
    return client.post(URL, json.dumps(data), content_type="application/json", **headers)


def guests(n):
    return [{"email": f"guest{i}@example.org"} for i in range(n)]


@pytest.mark.parametrize(
    "query",
    [
        {"offset": HUGE},
        {"offset": str(2**63)},
        {"limit": HUGE},
        {"location_id": HUGE},
        {"from": "0001-01-01T00:00:00+23:59"},
        {"to": "9999-12-31T23:59:59-23:59"},
    ],
)
def test_numbers_the_database_cannot_hold_answer_422(client, api_token, alice, query):
    response = client.get(URL, query, **api_token(alice))
    assert response.status_code == 422, response.content
    (name,) = query
    assert response.json()["detail"].startswith(f"The request is not valid: {name}: ")


def test_a_huge_id_in_the_path_answers_422(client, api_token, alice):
    response = client.get(f"{URL}/{HUGE}", **api_token(alice))
    assert response.status_code == 422
    assert response.json()["detail"] == (
        "The request is not valid: appointment_id: at most 9223372036854775807"
    )


def test_limit_is_capped_at_the_stated_maximum(client, api_token, alice, acme_hq):
    appointment(alice, acme_hq)
    headers = api_token(alice)
    assert client.get(URL, {"limit": limits.PAGE_SIZE_MAX}, **headers).json()["count"] == 1
    too_many = client.get(URL, {"limit": limits.PAGE_SIZE_MAX + 1}, **headers)
    assert too_many.status_code == 422
    assert too_many.json()["detail"] == "The request is not valid: limit: at most 200"
    past_the_end = client.get(URL, {"offset": 10**12}, **headers)
    assert past_the_end.json() == {"items": [], "count": 1}


def test_the_schema_states_the_limits(client):
    document = client.get("/api/v1/openapi.json").json()
    listing = {p["name"]: p["schema"] for p in document["paths"][URL]["get"]["parameters"]}
    assert listing["limit"]["maximum"] == 200 and listing["offset"]["minimum"] == 0
    new = document["components"]["schemas"]["AppointmentIn"]["properties"]
    assert new["title"]["maxLength"] == 300 and new["description"]["maxLength"] == 5000
    assert new["guests"]["maxItems"] == 50
    assert new["location_id"]["maximum"] == 2**63 - 1
    me = document["components"]["schemas"]["MePatch"]["properties"]
    assert me["name"] == {"maxLength": 200, "title": "Name", "type": "string"}  # not nullable
    assert me["language"]["enum"] == ["", "en", "de"]


def test_patch_me_with_nulls_answers_422_and_changes_nothing(client, api_token, alice):
    response = client.patch(
        "/api/v1/me",
        json.dumps({"name": None, "language": "", "primary_location_id": None}),
        content_type="application/json",
        **api_token(alice),
    )
    assert response.status_code == 422, response.content
    assert response.json()["detail"] == "The request is not valid: name: a text (not null)"
    language = client.patch(
        "/api/v1/me",
        json.dumps({"language": None}),
        content_type="application/json",
        **api_token(alice),
    )
    assert language.status_code == 422
    assert language.json()["detail"] == (
        "The request is not valid: language: one of '', 'en' or 'de'"
    )
    alice.refresh_from_db()
    assert alice.name == "Alice" and alice.primary_location is not None


def test_patch_me_clears_language_and_primary_location_with_empty_and_null(
    client, api_token, alice
):
    response = client.patch(
        "/api/v1/me",
        json.dumps({"language": "", "primary_location_id": None}),
        content_type="application/json",
        **api_token(alice),
    )
    assert response.status_code == 200
    assert response.json()["language"] == "" and response.json()["primary_location_id"] is None
    assert User.objects.get(pk=alice.pk).name == "Alice"


def test_a_huge_description_and_too_many_guests_are_refused(client, api_token, bob, acme_hq):
    headers = api_token(bob)
    huge = post(client, headers, body_for(acme_hq, description="x" * 2_400_000))
    assert huge.status_code == 422
    assert huge.json()["detail"] == (
        "The request is not valid: description: at most 5000 characters"
    )
    crowd = post(client, headers, body_for(acme_hq, guests=guests(100)))
    assert crowd.status_code == 422
    assert crowd.json()["detail"] == "The request is not valid: guests: at most 50 entries"
    long_title = post(client, headers, body_for(acme_hq, title="t" * 301))
    assert long_title.json()["detail"] == (
        "The request is not valid: title: at most 300 characters"
    )
    assert not Appointment.objects.exists()


def test_the_limits_themselves_are_accepted(client, api_token, bob, acme_hq):
    body = body_for(
        acme_hq, title="t" * 300, description="d" * limits.DESCRIPTION_MAX_LENGTH, guests=guests(50)
    )
    response = post(client, api_token(bob), body)
    assert response.status_code == 201, response.content
    made = Appointment.objects.get()
    assert made.guests.count() == 50 and len(made.description) == 5000


def test_patch_keeps_to_the_same_limits(client, api_token, bob, acme_hq):
    made = appointment(bob, acme_hq)
    response = client.patch(
        f"{URL}/{made.pk}",
        json.dumps({"description": "x" * 5001, "guests": guests(51)}),
        content_type="application/json",
        **api_token(bob),
    )
    assert response.status_code == 422
    assert response.json()["detail"] == (
        "The request is not valid: description: at most 5000 characters; guests: at most 50 entries"
    )
    assert AppointmentVersion.objects.filter(appointment=made).count() == 1
    assert Guest.objects.filter(appointment=made).count() == 2


def test_validation_errors_are_in_the_users_language(client, api_token, bob, acme_hq):
    bob.language = "de"
    bob.save()
    response = post(client, api_token(bob), body_for(acme_hq, description="x" * 5001))
    assert response.json()["detail"] == (
        "Die Anfrage ist ungültig: description: höchstens 5000 Zeichen"
    )
    past = client.get(URL, {"limit": 0}, **api_token(bob))
    assert past.json()["detail"] == "Die Anfrage ist ungültig: limit: mindestens 1"


def test_the_limits_match_the_model_columns():
    assert Appointment._meta.get_field("title").max_length == limits.TITLE_MAX_LENGTH
    assert Guest._meta.get_field("name").max_length == limits.GUEST_NAME_MAX_LENGTH
    assert Guest._meta.get_field("email").max_length == limits.EMAIL_MAX_LENGTH


def test_text_with_a_nul_character_answers_422(client, api_token, alice, acme_hq):
    """PostgreSQL cannot store NUL: it was a 500 there (SQLite stored it)."""
    headers = api_token(alice)
    body = body_for(acme_hq, title="Site\x00visit")
    body["guests"][0]["name"] = "Ann\x00"
    made = post(client, headers, body)
    assert made.status_code == 422
    assert made.json()["detail"] == (
        "The request is not valid: title: must not contain NUL characters; "
        "guests.0.name: must not contain NUL characters"
    )
    renamed = client.patch(
        "/api/v1/me", json.dumps({"name": "A\x00"}), content_type="application/json", **headers
    )
    assert renamed.status_code == 422
    place = client.post(
        "/api/v1/locations",
        json.dumps({"name": "HQ\x00", "address": "Main St 1"}),
        content_type="application/json",
        **headers,
    )
    assert place.status_code == 422 and "name: must not contain NUL" in place.json()["detail"]
    assert not Appointment.objects.exists()
    assert User.objects.get(pk=alice.pk).name == "Alice"
