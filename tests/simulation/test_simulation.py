"""The fault simulation: seeded random histories of Bob's calendar with everything that can go
wrong, then the invariants of tests/simulation/model.py. See docs/reliability.md.

    PORTIER_SIM_SEEDS=200     how many Google seeds (default 200; `make soak SEEDS=N`)
    PORTIER_SIM_MS_SEEDS=100  how many Microsoft seeds (default 100)
    PORTIER_SIM_FIRST=0       the first seed
    PORTIER_SIM_SEED=1234     run this one seed only (the replay a failure prints;
                              ::test_history for Google, ::test_microsoft_histories)

Both sources run the same schedules (schedule.py) through their drivers (drivers.py).
"""

import os
import sys
import time
from collections import Counter

import pytest

from tests.simulation.history import replay, run_history


def _seeds(count: str = "PORTIER_SIM_SEEDS", default: str = "200") -> list[int]:
    if os.environ.get("PORTIER_SIM_SEED"):  # one seed, or several: 12,345
        return [int(seed) for seed in os.environ["PORTIER_SIM_SEED"].split(",")]
    first = int(os.environ.get("PORTIER_SIM_FIRST", "0"))
    return list(range(first, first + int(os.environ.get(count, default))))


# Totals over the run per source, printed at the end (conftest.pytest_terminal_summary).
TOTALS: dict[str, Counter] = {"google": Counter(), "microsoft": Counter()}
# Recovery times (simulated seconds until all e-mails written before the end were out), per
# source: after kills only, and after a mail-server outage.
RECOVERIES: dict[str, dict[str, list]] = {
    "google": {"kill": [], "outage": []},
    "microsoft": {"kill": [], "outage": []},
}


@pytest.mark.parametrize("seed", _seeds())
def test_history(seed, sim_db, sim_settings):
    """Bob's Google calendar."""
    _history(seed, sim_settings, "google")


@pytest.mark.parametrize("seed", _seeds("PORTIER_SIM_MS_SEEDS", "100"))
def test_microsoft_histories(seed, sim_db, sim_settings):
    """Bob's Outlook calendar: the same schedules (see drivers.MicrosoftDriver for the faults
    it leaves out)."""
    _history(seed, sim_settings, "microsoft")


def _history(seed, sim_settings, source):
    started = time.monotonic()
    world, outcome = run_history(seed, sim_settings, source=source)
    TOTALS[source].update(
        seeds=1,
        seconds=time.monotonic() - started,
        mails=outcome.mails,
        repeats=outcome.repeats,
        steps=len(world.log),
        **{f"killed {k}": v for k, v in world.kills.items()},
        **{f"known: {k}": v for k, v in outcome.known.items()},
    )
    found = world.recovery
    if found is not None and found.pending and found.drained is not None:
        if found.outage:
            RECOVERIES[source]["outage"].append(found.drained)
        elif world.kills["after_claim"] + world.kills["after_accept"] + world.kills["random"]:
            RECOVERIES[source]["kill"].append(found.drained)
    if outcome.violations:
        steps = "\n  ".join(world.log)
        sys.stderr.write(f"\nseed {seed} ({source}) history:\n  {steps}\n")
        pytest.fail(
            f"seed {seed} ({source}): {len(outcome.violations)} invariants broken:\n  "
            + "\n  ".join(outcome.violations[:12])
            + f"\nreplay: {replay(seed, source)}",
            pytrace=False,
        )
