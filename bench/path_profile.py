"""Where a change's time goes inside the worker: the sync of one changed event and the delivery
of its e-mail, in-process, profiled (cProfile) over N changes.

    .venv/bin/python bench/path_profile.py [--changes 50]

Google simulator and SMTP sink on loopback, the real client libraries; SQLite or
DATABASE_URL's PostgreSQL (a fresh database). Prints the mean wall time of the sync and of
the delivery per change, SQL statements of each, and the top functions of both.
"""

import argparse
import cProfile
import pstats
import time
from datetime import UTC, datetime, timedelta

from _setup import django_with_fresh_database


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--changes", type=int, default=50)
    args = parser.parse_args()
    django_with_fresh_database()

    from django.conf import settings
    from django.db import connection as db

    from portier.companies.services import create_company
    from portier.locations.services import create_location
    from portier.outbox.delivery import deliver_due
    from portier.sources.google.simulator import FakeGoogle
    from portier.sync.tasks import run_sync
    from portier.testing.fakes.smtp import SmtpSink
    from portier.testing.fixtures import point_settings_at
    from portier.testing.google import connect_google

    fake = FakeGoogle().start()
    sink = SmtpSink().start()
    point_settings_at(settings, fake)
    settings.PORTIER_INVITE_ADDRESS = marker = "invite@portier.example"
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
    company, host = create_company(
        name="Bench", admin_email="host@bench.example", password="x-bench-password-1"
    )
    host.primary_location = create_location(
        company=company, name="HQ", address="Street 1", time_zone="Europe/Berlin"
    )
    host.save()
    fake.add_account("host@bench.example", name="Host", time_zone="Europe/Berlin")
    base = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(days=3)
    event = fake.create_event(
        "host@bench.example", summary="Visit", start=base, end=base + timedelta(hours=1),
        attendees=[("guest@ext.example", "Guest"), (marker, "Portier")],
    )  # fmt: skip
    calendar = connect_google(host, fake, "host@bench.example").calendars.get(is_primary=True)
    run_sync(calendar.pk)
    deliver_due()

    statements = {"sync": 0, "deliver": 0}
    spent = {"sync": 0.0, "deliver": 0.0}
    profiles = {"sync": cProfile.Profile(), "deliver": cProfile.Profile()}

    def step(name, fn):
        def count(execute, sql, params, many, context):
            statements[name] += 1
            return execute(sql, params, many, context)

        with db.execute_wrapper(count):
            started = time.perf_counter()
            profiles[name].enable()
            fn()
            profiles[name].disable()
            spent[name] += time.perf_counter() - started

    for k in range(1, args.changes + 1):
        start = base + timedelta(minutes=5 * k)
        fake.update_event(
            "host@bench.example", event["id"], start=start, end=start + timedelta(hours=1)
        )
        step("sync", lambda: run_sync(calendar.pk))
        step("deliver", lambda: deliver_due(now=datetime.now(UTC) + timedelta(seconds=1)))
    fake.stop()
    sink.stop()
    n = args.changes
    vendor = "PostgreSQL" if db.vendor == "postgresql" else "SQLite"
    print(
        f"{n} changes of one marked event with one guest, {vendor}; e-mails: {len(sink.messages)}"
    )
    for name in ("sync", "deliver"):
        print(
            f"{name:8} {spent[name] / n * 1000:6.1f} ms per change (profiled), "
            f"{statements[name] / n:5.1f} SQL statements"
        )
    for name in ("sync", "deliver"):
        print(f"\n=== {name}: top functions by cumulative time ===")
        pstats.Stats(profiles[name]).sort_stats("cumulative").print_stats(30)


if __name__ == "__main__":
    main()
