"""One history: the world built, a schedule (a seed's, or given steps) carried out, the system
settled, the invariants checked."""

from datetime import UTC, datetime

import time_machine

from portier.companies.models import Role
from portier.testing.factories import CompanyFactory, LocationFactory, make_member
from portier.testing.fakes.smtp import SmtpSink
from tests.simulation import model
from tests.simulation.drivers import DRIVERS
from tests.simulation.schedule import schedule
from tests.simulation.world import BOB, MARKER, World

TESTS = {"google": "test_history", "microsoft": "test_microsoft_histories"}


def replay(seed: int, source: str = "google") -> str:
    return (
        f"PORTIER_SIM_SEED={seed} PORTIER_DATA_DIR=$PWD/data/test .venv/bin/python -m pytest "
        f"tests/simulation/test_simulation.py::{TESTS[source]} -q"
    )


def configure(settings):
    """Portier's settings for a history (pytest-django's `settings` fixture restores them)."""
    settings.PORTIER_INVITE_ADDRESS = MARKER
    settings.PORTIER_BASE_URL = "http://testserver"
    settings.GOOGLE_BACKOFF_SECONDS = 0.001
    settings.GOOGLE_RETRIES = 2
    # The request budget (10 a second per user) has tests of its own; here it would only make
    # each history wait for the next second.
    settings.GOOGLE_USER_REQUESTS_PER_SECOND = 0
    settings.PORTIER_PUSH_ENABLED = False  # push is modelled: the simulation delivers it
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_TIMEOUT = 5
    return settings


def build_world(seed: int, settings, source: str = "google") -> World:
    acme = CompanyFactory(name="Acme", slug="acme", internal_domains=["acme.example"])
    hq = LocationFactory(company=acme, name="Acme HQ", code="ANHQ")
    LocationFactory(company=acme, name="Acme Munich", code="MUC")
    bob = make_member(acme, email=BOB, name="Bob", role=Role.HOST, primary_location=hq)
    make_member(acme, email="alice@acme.example", name="Alice", role=Role.HOST)
    driver = DRIVERS[source](settings)
    sink = SmtpSink().start()
    settings.EMAIL_HOST, settings.EMAIL_PORT = sink.host, sink.port
    connection = driver.connect(bob)
    calendar = connection.calendars.get(is_primary=True)
    return World(
        driver=driver, sink=sink, calendar_id=calendar.pk, clock=None, settings=settings, seed=seed
    )


def run_history(
    seed: int, settings, steps=None, source: str = "google"
) -> tuple[World, model.Outcome]:
    """Carry out the seed's schedule (or the given steps), settle, check."""
    traveller = time_machine.travel(datetime.now(UTC), tick=True)
    clock = traveller.start()
    world = None
    try:
        world = build_world(seed, settings, source)
        world.clock = clock
        world.run(schedule(seed) if steps is None else steps)
        world.settle()
        return world, model.check(world, datetime.now(UTC))
    finally:
        if world is not None:
            world.driver.stop()
            world.sink.stop()
        traveller.stop()
