"""A database of its own for each simulated history, shared by threads and child processes.

The unit tests' SQLite database lives in memory, which a forked worker cannot share; a
simulation kills workers for real, so each seed gets a copy of one migrated SQLite file (a
copy costs milliseconds, a flush far more). On PostgreSQL the histories are skipped: a forked
worker would share its parent's server connection, and the shared test database is not set up
for that (seen: "relation does not exist"); the PostgreSQL run of the suite covers the same
code paths through the unit and end-to-end tests.
"""

import contextlib
import logging
import shutil

import pytest
from django.core.management import call_command
from django.db import connections


@contextlib.contextmanager
def database_file(path):
    """Every connection opened meanwhile (any thread, any forked child) opens `path`."""
    original = connections["default"]
    settings_dict = connections.settings["default"]
    ours = {**settings_dict, "NAME": str(path)}
    ours["TEST"] = {**settings_dict.get("TEST", {}), "NAME": str(path)}
    connections.settings["default"] = ours
    wrapper = type(original)(ours, "default")
    connections["default"] = wrapper
    try:
        yield
    finally:
        connections.close_all()
        connections["default"] = original
        connections.settings["default"] = settings_dict


def _is_sqlite() -> bool:
    return connections.settings["default"]["ENGINE"].endswith("sqlite3")


@pytest.fixture
def sim_settings(settings):
    from tests.simulation.history import configure

    logging.disable(logging.INFO)  # thousands of INFO lines per seed cost more than the seed
    configure(settings)
    yield settings
    logging.disable(logging.NOTSET)


@pytest.fixture(scope="session")
def sim_template(django_db_blocker, tmp_path_factory):
    """One migrated SQLite file that every seed copies."""
    if not _is_sqlite():
        return None
    path = tmp_path_factory.mktemp("simulation") / "template.sqlite3"
    with django_db_blocker.unblock(), database_file(path):
        call_command("migrate", verbosity=0, interactive=False)
    return path


@pytest.fixture
def sim_db(request, sim_template, django_db_blocker, tmp_path):
    if sim_template is None:
        pytest.skip("the fault simulation runs on the embedded SQLite (a database file per seed)")
    path = tmp_path / "portier.sqlite3"
    shutil.copyfile(sim_template, path)
    with django_db_blocker.unblock(), database_file(path):
        yield path


def pytest_terminal_summary(terminalreporter):
    from tests.simulation.test_simulation import RECOVERIES, TOTALS

    for source, totals in TOTALS.items():
        if not totals["seeds"]:
            continue
        rate = totals["seeds"] / totals["seconds"]
        lines = [f"{k}: {v:.0f}" for k, v in sorted(totals.items()) if k != "seconds"]
        terminalreporter.write_line(
            f"simulation ({source}): {totals['seconds']:.1f} s in histories, "
            f"{rate:.2f} seeds/s; " + ", ".join(lines)
        )
        for cause, times in RECOVERIES[source].items():
            if times:
                times = sorted(times)
                p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
                terminalreporter.write_line(
                    f"  recovery after {cause} ({len(times)} histories): p50 "
                    f"{times[len(times) // 2]:.1f} s, p95 {p95:.1f} s, max {times[-1]:.1f} s"
                )
