"""Sync throughput through the Microsoft simulator: a full and an incremental sync of N events
with msal and the Graph client over loopback HTTPS, as hosts on Outlook would sync.

    .venv/bin/python bench/sync_throughput_microsoft.py [--events 5000]

Prints events per second for both and peak memory.
"""

import argparse
import resource
import time
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

from _setup import django_with_fresh_database

HOST, MARKER = "host@bench.example", "invite@portier.example"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=5_000)
    args = parser.parse_args()
    django_with_fresh_database()

    from django.conf import settings

    from portier.companies.services import create_company
    from portier.integrations.services import callback_url, connect_with_tokens
    from portier.locations.services import create_location
    from portier.sources.microsoft.auth import MicrosoftOAuth
    from portier.sources.microsoft.simulator.contract import MicrosoftSimulator
    from portier.sync.tasks import run_sync
    from portier.visits.models import Appointment

    sim = MicrosoftSimulator()
    sim.start()
    for name, value in sim.settings(page_size=1000).items():
        setattr(settings, name, value)
    settings.PORTIER_INVITE_ADDRESS = MARKER
    settings.PORTIER_PUSH_ENABLED = False
    company, host = create_company(name="Bench", admin_email=HOST, password="x-bench-password-1")
    host.primary_location = create_location(
        company=company, name="HQ", address="Street 1", time_zone="Europe/Berlin"
    )
    host.save()
    sim.add_account(HOST, time_zone="Europe/Berlin", other_calendar="Team")
    base = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=1)
    ids = []
    for i in range(args.events):
        start = base + timedelta(minutes=30 * i)
        ids.append(
            sim.create_event(
                HOST,
                title=f"Visit {i}",
                start=start,
                end=start + timedelta(minutes=30),
                attendees=[f"guest{i}@ext.example", MARKER],
            )
        )
    flow = MicrosoftOAuth()
    started = flow.start(redirect_uri=callback_url("microsoft"))
    code = parse_qs(urlsplit(sim.fake.approve_url(started.url, account=HOST)).query)["code"][0]
    tokens = flow.finish(
        redirect_uri=callback_url("microsoft"), code=code, code_verifier=started.code_verifier
    )
    connection = connect_with_tokens(user=host, slug="microsoft", tokens=tokens)
    calendar = connection.calendars.get(is_primary=True)

    began = time.perf_counter()
    run_sync(calendar.pk)
    full = time.perf_counter() - began
    appointments = Appointment.objects.count()
    for i, event_id in enumerate(ids):
        sim.update_event(HOST, event_id, title=f"Visit {i} (changed)")
    began = time.perf_counter()
    run_sync(calendar.pk)
    incremental = time.perf_counter() - began
    sim.stop()

    n = args.events
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"events: {n}, {appointments} appointments, SQLite, page size 1000, HTTPS loopback")
    print(f"full sync:        {full:7.2f} s  {n / full:8.0f} events/s")
    print(f"incremental sync: {incremental:7.2f} s  {n / incremental:8.0f} events/s")
    print(f"peak memory (this process, simulator included): {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
