"""Schemathesis sends generated requests (valid and invalid) to every operation of the API, as
alice (an admin, so writes are exercised), in-process through the WSGI application: none may
answer 5xx. The seed is fixed and the examples per operation bounded (about 20 s in all).

Valid generated ids are mostly pointed at rows that exist and valid times mostly moved into
the coming weeks, so the requests get past "not found" and "in the past" to the services.
"""

from datetime import timedelta

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from hypothesis import HealthCheck, settings

from portier.visits.tests.helpers import appointment, at, synced

EXAMPLES_PER_OPERATION = 25
CONFIG = schemathesis.Config.from_dict(
    {
        "seed": 20261129,
        "generation": {"mode": "all", "deterministic": True, "database": "none"},
        "phases": {"stateful": {"enabled": False}},
    }
)
schema = schemathesis.openapi.from_wsgi(
    "/api/v1/openapi.json", get_wsgi_application(), config=CONFIG
)
ID_FIELDS = {
    "appointment_id": "appointments",
    "location_id": "locations",
    "primary_location_id": "locations",
    "host_id": "users",
}


@pytest.fixture
def world(db, alice, bob, acme_hq, api_token):
    """What the requests act on, and alice's token. The test's transaction must outlive each
    request: connections are not closed around requests here (as Django's test client does)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    made = [
        appointment(alice, acme_hq, title="Alice's", start=at(days=3)),
        appointment(bob, acme_hq, title="Bob's", start=at(days=4)),
        synced(bob, acme_hq, start=at(days=5)),
    ]
    yield {
        "headers": {"Authorization": api_token(alice)["HTTP_AUTHORIZATION"]},
        "appointments": [a.pk for a in made],
        "locations": [acme_hq.pk],
        "users": [alice.pk, bob.pk],
    }
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _existing(value, ids):
    """Three in four valid ids become one that exists; invalid ones stay as generated."""
    if isinstance(value, int) and not isinstance(value, bool) and value > 0 and value % 4:
        return ids[value % len(ids)]
    return value


def make_realistic(case, world) -> None:
    for key, value in (case.path_parameters or {}).items():
        if key in ID_FIELDS:
            case.path_parameters[key] = _existing(value, world[ID_FIELDS[key]])
    body = case.body
    if not isinstance(body, dict):
        return
    for key, kind in ID_FIELDS.items():
        if key in body:
            body[key] = _existing(body[key], world[kind])
    times = [body.get("starts_at"), body.get("ends_at")]
    if all(isinstance(t, str) for t in times) and len(str(body.get("title", ""))) % 2 == 0:
        start = timezone.now() + timedelta(days=1 + len(times[0]) % 20)
        body["starts_at"] = start.isoformat()
        body["ends_at"] = (start + timedelta(hours=1)).isoformat()


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_generated_requests_never_get_a_server_error(case, world):
    make_realistic(case, world)
    response = case.call(headers=world["headers"])
    assert response.status_code < 500, case.as_curl_command(headers=world["headers"])
