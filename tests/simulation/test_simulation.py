"""The fault simulation: seeded random histories of Bob's calendar with everything that can go
wrong, then the invariants of tests/simulation/model.py. See docs/reliability.md.

    PORTIER_SIM_SEEDS=200     how many seeds (default 200; `make soak SEEDS=N`)
    PORTIER_SIM_FIRST=0       the first seed
    PORTIER_SIM_SEED=1234     run this one seed only (the replay a failure prints)
"""

import logging
import os
import sys
import time
from collections import Counter
from datetime import UTC, datetime

import pytest
import time_machine

from portier.companies.models import Role
from portier.sources.google.simulator import FakeGoogle
from portier.testing.factories import CompanyFactory, LocationFactory, make_member
from portier.testing.fakes.smtp import SmtpSink
from portier.testing.fixtures import point_settings_at
from portier.testing.google import connect_google
from tests.simulation import model
from tests.simulation.schedule import schedule
from tests.simulation.world import BOB, MARKER, World


def _seeds() -> list[int]:
    if os.environ.get("PORTIER_SIM_SEED"):
        return [int(os.environ["PORTIER_SIM_SEED"])]
    first = int(os.environ.get("PORTIER_SIM_FIRST", "0"))
    return list(range(first, first + int(os.environ.get("PORTIER_SIM_SEEDS", "200"))))


def replay(seed: int) -> str:
    return (
        f"PORTIER_SIM_SEED={seed} PORTIER_DATA_DIR=$PWD/data/test "
        f".venv/bin/python -m pytest tests/simulation -q -k 'history and {seed}'"
    )


@pytest.fixture
def sim_settings(settings):
    logging.disable(logging.INFO)  # thousands of INFO lines per seed cost more than the seed
    yield _sim_settings(settings)
    logging.disable(logging.NOTSET)


def _sim_settings(settings):
    settings.PORTIER_INVITE_ADDRESS = MARKER
    settings.PORTIER_BASE_URL = "http://testserver"
    settings.GOOGLE_BACKOFF_SECONDS = 0.001
    settings.GOOGLE_RETRIES = 2
    settings.PORTIER_PUSH_ENABLED = False  # push is modelled: the simulation delivers it
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_TIMEOUT = 5
    return settings


def build_world(seed: int, settings) -> World:
    acme = CompanyFactory(name="Acme", slug="acme", internal_domains=["acme.example"])
    hq = LocationFactory(company=acme, name="Acme HQ", code="ANHQ")
    LocationFactory(company=acme, name="Acme Munich", code="MUC")
    bob = make_member(acme, email=BOB, name="Bob", role=Role.HOST, primary_location=hq)
    make_member(acme, email="alice@acme.example", name="Alice", role=Role.HOST)
    fake = FakeGoogle().start()
    point_settings_at(settings, fake)
    sink = SmtpSink().start()
    settings.EMAIL_HOST, settings.EMAIL_PORT = sink.host, sink.port
    fake.add_account(BOB, name="Bob", time_zone="Europe/Berlin")
    connection = connect_google(bob, fake, BOB)
    calendar = connection.calendars.get(is_primary=True)
    return World(fake=fake, sink=sink, calendar_id=calendar.pk, clock=None, settings=settings,
                 seed=seed)


def run_history(seed: int, settings, steps=None) -> tuple[World, model.Outcome]:
    """Carry out the seed's schedule (or the given steps), settle, check."""
    traveller = time_machine.travel(datetime.now(UTC), tick=True)
    clock = traveller.start()
    world = None
    try:
        world = build_world(seed, settings)
        world.clock = clock
        world.run(schedule(seed) if steps is None else steps)
        world.settle()
        return world, model.check(world, datetime.now(UTC))
    finally:
        if world is not None:
            world.fake.stop()
            world.sink.stop()
        traveller.stop()


# Totals over the run, printed at the end (conftest.pytest_terminal_summary).
TOTALS: Counter = Counter()


@pytest.mark.parametrize("seed", _seeds())
def test_history(seed, sim_db, sim_settings):
    started = time.monotonic()
    world, outcome = run_history(seed, sim_settings)
    TOTALS.update(
        seeds=1,
        seconds=time.monotonic() - started,
        mails=outcome.mails,
        repeats=outcome.repeats,
        steps=len(world.log),
        **{f"killed {k}": v for k, v in world.kills.items()},
        **{f"known: {k}": v for k, v in outcome.known.items()},
    )
    if outcome.violations:
        steps = "\n  ".join(world.log)
        sys.stderr.write(f"\nseed {seed} history:\n  {steps}\n")
        pytest.fail(
            f"seed {seed}: {len(outcome.violations)} invariants broken:\n  "
            + "\n  ".join(outcome.violations[:12])
            + f"\nreplay: {replay(seed)}",
            pytrace=False,
        )
