"""The contract suite's harness: one registered source, its simulator, Bob connected to it."""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils.module_loading import import_string

from portier.integrations.models import Calendar, Connection
from portier.sources import registry
from portier.sources.base import Capability
from portier.sources.simulation import Simulator
from portier.testing.sync_fixtures import BOB, MARKER, soon

GUEST = "guest@ext.example"


def sources_declaring(*capabilities: Capability) -> list:
    """Every registered source that declares these capabilities: a test of a capability runs
    for the sources that claim it, whatever their names."""
    return [
        pytest.param(source.slug, id=source.slug)
        for source in registry.all_sources()
        if all(source.supports(c) for c in capabilities)
    ]


@dataclass
class Harness:
    slug: str
    sim: Simulator
    client: object

    def connect(self):
        return self.sim.connect(self.client, self.slug, BOB)

    @property
    def connection(self) -> Connection:
        return Connection.objects.get(provider=self.slug, account_id=BOB)

    @property
    def calendar(self) -> Calendar:
        return self.connection.calendars.get(is_primary=True)

    def marked_event(self, title="Visit", days=2, hour=10, recurrence=()):
        start = soon(days=days, hour=hour)
        return self.sim.create_event(
            BOB,
            title=title,
            start=start,
            end=start + timedelta(hours=1),
            attendees=[GUEST, MARKER],
            recurrence=recurrence,
        )


@pytest.fixture
def source(request, settings, marker, bob, acme_hq, bob_client):
    """Parametrised indirectly with a registry slug."""
    bob.primary_location = acme_hq
    bob.save()
    sim = import_string(registry.get(request.param).simulator)()
    sim.start()
    try:
        for name, value in sim.settings(page_size=3).items():
            setattr(settings, name, value)
        sim.add_account(BOB, time_zone="Europe/Berlin", other_calendar="Team")
        yield Harness(request.param, sim, bob_client)
    finally:
        sim.stop()


@pytest.fixture
def connected(source):
    source.connect()
    return source
