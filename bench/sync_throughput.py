"""Sync throughput: a full and an incremental sync of N events through the Google fake, with
the real client library, compared with a raw fetch + JSON decode of the same pages.

    .venv/bin/python bench/sync_throughput.py [--events 10000] [--marked 1.0] [--profile]

Prints events per second, the ratio to the raw fetch, SQL statements per event, and peak
memory; --profile adds cProfile's top functions of the full sync (by own time and cumulative).
"""

import argparse
import cProfile
import pstats
import resource
import time
from datetime import UTC, datetime, timedelta

from _setup import django_with_fresh_database


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=10_000)
    parser.add_argument("--marked", type=float, default=1.0, help="share carrying the marker")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    django_with_fresh_database()

    import requests
    from django.conf import settings

    from portier.companies.services import create_company
    from portier.integrations.services import tokens_of
    from portier.locations.services import create_location
    from portier.sources.google.simulator import FakeGoogle
    from portier.sync.tasks import run_sync
    from portier.testing.fixtures import point_settings_at
    from portier.testing.google import connect_google
    from portier.visits.models import Appointment

    fake = FakeGoogle().start()
    point_settings_at(settings, fake)
    settings.GOOGLE_PAGE_SIZE = 2500
    settings.GOOGLE_USER_REQUESTS_PER_SECOND = 0
    settings.PORTIER_INVITE_ADDRESS = "invite@portier.example"
    company, host = create_company(
        name="Bench", admin_email="host@bench.example", password="x-bench-password-1"
    )
    host.primary_location = create_location(
        company=company, name="HQ", address="Street 1", time_zone="Europe/Berlin"
    )
    host.save()
    fake.add_account("host@bench.example", name="Host", time_zone="Europe/Berlin")
    base = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=1)
    every = max(1, round(1 / args.marked)) if args.marked > 0 else 0
    ids = []
    for i in range(args.events):
        start = base + timedelta(minutes=30 * i)
        people = [(f"guest{i}@ext.example", f"Guest {i}")]
        if every and i % every == 0:
            people.append(("invite@portier.example", "Portier"))
        ids.append(
            fake.create_event(
                "host@bench.example",
                summary=f"Visit {i}",
                start=start,
                end=start + timedelta(minutes=30),
                attendees=people,
            )["id"]
        )
    connection = connect_google(host, fake, "host@bench.example")
    calendar = connection.calendars.get(is_primary=True)

    def raw_fetch(sync_token=None) -> float:
        """The floor: the same pages over HTTP with requests + json(), nothing else."""
        token = tokens_of(connection).access_token
        url = fake.api_url + "calendars/host%40bench.example/events"
        params = {"singleEvents": "true", "maxResults": "2500"}
        if sync_token:
            params["syncToken"] = sync_token
        else:
            params["timeMin"] = (datetime.now(UTC) - timedelta(days=1)).strftime(
                "%Y-%m-%dT%H:%M:%SZ"
            )
        started = time.perf_counter()
        with requests.Session() as session:
            while True:
                body = session.get(
                    url, params=params, headers={"Authorization": f"Bearer {token}"}
                ).json()
                if "nextPageToken" not in body:
                    break
                params["pageToken"] = body["nextPageToken"]
        return time.perf_counter() - started

    from django.db import connection as db

    statements = [0]

    def count(execute, sql, params, many, context):
        statements[0] += 1
        return execute(sql, params, many, context)

    raw_full = raw_fetch()
    profiler = cProfile.Profile() if args.profile else None
    started = time.perf_counter()
    with db.execute_wrapper(count):
        if profiler:
            profiler.enable()
        run_sync(calendar.pk)
        if profiler:
            profiler.disable()
    full = time.perf_counter() - started
    full_statements, statements[0] = statements[0], 0
    appointments = Appointment.objects.count()

    cursor = type(calendar).objects.get(pk=calendar.pk).sync_cursor
    for i, event_id in enumerate(ids):
        fake.update_event("host@bench.example", event_id, summary=f"Visit {i} (changed)")
    raw_incremental = raw_fetch(cursor)
    started = time.perf_counter()
    with db.execute_wrapper(count):
        run_sync(calendar.pk)
    incremental = time.perf_counter() - started
    fake.stop()

    n = args.events
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    vendor = "PostgreSQL" if db.vendor == "postgresql" else "SQLite"
    print(f"events: {n}, marked: {appointments} appointments, {vendor}, page size 2500")
    print(
        f"full sync:        {full:7.2f} s  {n / full:8.0f} events/s  "
        f"raw fetch {raw_full:5.2f} s  ratio {full / raw_full:5.1f}x"
    )
    print(
        f"incremental sync: {incremental:7.2f} s  {n / incremental:8.0f} events/s  "
        f"raw fetch {raw_incremental:5.2f} s  ratio {incremental / raw_incremental:5.1f}x"
    )
    marked = max(1, appointments)
    print(
        f"SQL statements: full {full_statements} ({full_statements / marked:.1f} per marked "
        f"event), incremental {statements[0]} ({statements[0] / marked:.1f} per marked event)"
    )
    print(f"peak memory (this process, fake included): {peak_mb:.0f} MB")
    if profiler:
        stats = pstats.Stats(profiler)
        stats.sort_stats("tottime").print_stats(25)
        stats.sort_stats("cumulative").print_stats(40)


if __name__ == "__main__":
    main()
