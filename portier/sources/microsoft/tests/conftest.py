"""Bob's Outlook calendar on the simulated Microsoft, connected through msal and the views."""

import pytest

from portier.integrations.models import Calendar, Connection
from portier.sources.microsoft.simulator.contract import MicrosoftSimulator
from portier.testing.sync_fixtures import BOB


@pytest.fixture
def simulator(settings, marker):
    sim = MicrosoftSimulator()
    sim.start()
    for name, value in sim.settings(page_size=50).items():
        setattr(settings, name, value)
    yield sim
    sim.stop()


@pytest.fixture
def ms(simulator):
    """The FakeMicrosoft itself, with Bob's mailbox (Berlin) and a second calendar."""
    simulator.add_account(BOB, time_zone="Europe/Berlin", other_calendar="Team")
    return simulator.fake


@pytest.fixture
def bob_outlook(ms, simulator, bob, acme_hq, bob_client) -> Connection:
    bob.primary_location = acme_hq
    bob.save()
    simulator.connect(bob_client, "microsoft", BOB)
    return Connection.objects.get(provider="microsoft")


@pytest.fixture
def outlook_calendar(bob_outlook) -> Calendar:
    return bob_outlook.calendars.get(is_primary=True)
