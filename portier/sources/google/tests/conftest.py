"""Fixtures of the simulator's tests."""

import pytest

from portier.sources.google.simulator import FakeGoogle
from portier.sources.google.tests.simulator_helpers import (
    ALICE,
    BOB,
    TEAM,
    credentials,
    service_for,
)


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


@pytest.fixture
def calendar(fake):
    service = service_for(fake, credentials(fake))
    yield service
    service.close()
