"""10,000 connected calendars: what the polling backstop and channel renewal cost a worker.

    .venv/bin/python bench/scale.py [--calendars 10000] [--events 3]

In-process against the Google simulator (loopback HTTP, the real client library), on a fresh
SQLite database (or DATABASE_URL's PostgreSQL: a fresh database is made). N hosts, each with
one connected calendar holding a few events (one marked). Runs the worker's own periodic
functions and times them by the CPU time of this thread (the simulator's threads excluded):

1. renew_channels() with every calendar lacking a channel: N events.watch (one renewal each);
2. poll_calendars() with none synced yet: N full syncs (onboarding);
3. renew_channels() with none due: the quarter-hourly scan;
4. poll_calendars() with every calendar an hour past its last sync: N incremental syncs, the
   hourly backstop when push works;
5. one event changed in each of 200 calendars, the simulator's push replayed through the real
   webhook view: API calls per change notification.

Then the hourly cost: 4 scans + N/144 renewals (7-day channels renewed in their last day ...
spread evenly, one renewal per calendar every 6 days) + N incremental polls.
"""

import argparse
import collections
import logging
import os
import time
from datetime import UTC, datetime, timedelta

from _setup import django_with_fresh_database


def api_calls(fake) -> int:
    return len(fake.requests)


def timed(label, fn, fake):
    calls = api_calls(fake)
    cpu, wall = time.thread_time(), time.perf_counter()
    fn()
    cpu, wall = time.thread_time() - cpu, time.perf_counter() - wall
    calls = api_calls(fake) - calls
    print(f"{label:52} cpu {cpu:8.2f} s  wall {wall:8.2f} s  API calls {calls:7d}")
    return cpu, wall, calls


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calendars", type=int, default=10_000)
    parser.add_argument("--events", type=int, default=3)
    args = parser.parse_args()
    n = args.calendars
    django_with_fresh_database()

    from django.conf import settings
    from django.contrib.auth.hashers import make_password
    from django.db import connection as db
    from django.test import Client
    from huey.contrib.djhuey import HUEY

    from portier.accounts.models import User
    from portier.companies.models import Membership, Role
    from portier.companies.services import create_company
    from portier.integrations.models import Calendar, Connection
    from portier.locations.services import create_location
    from portier.sources.google.simulator import FakeGoogle
    from portier.sync import tasks
    from portier.testing.fixtures import point_settings_at

    fake = FakeGoogle().start()
    fake.requests = collections.deque()  # its log keeps the last 10,000; count them all here
    point_settings_at(settings, fake)
    settings.PORTIER_INVITE_ADDRESS = marker = "invite@portier.example"
    settings.PORTIER_BASE_URL = "http://127.0.0.1:9"  # pushes go nowhere; replayed below
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    logging.disable(logging.INFO)  # the worker's line per task: 10,000s of them
    HUEY.immediate = True  # request_sync runs the sync inline, as one worker thread would
    company, admin = create_company(
        name="Bench", admin_email="admin@bench.example", password="x-bench-password-1"
    )
    location = create_location(
        company=company, name="HQ", address="Street 1", time_zone="Europe/Berlin"
    )
    started = time.perf_counter()
    base = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=1)
    unusable = make_password(None)
    users = User.objects.bulk_create(
        User(
            email=f"host{i}@bench.example",
            name=f"Host {i}",
            primary_location=location,
            password=unusable,
        )
        for i in range(n)
    )
    Membership.objects.bulk_create(
        Membership(user=u, company=company, role=Role.HOST) for u in users
    )
    connections, first_event = [], {}
    for i, user in enumerate(users):
        account = user.email
        fake.add_account(account, name=user.name, time_zone="Europe/Berlin")
        for j in range(args.events):
            start = base + timedelta(days=j, hours=i % 8)
            people = [(f"guest{i}-{j}@ext.example", "Guest")]
            if j == 0:
                people.append((marker, "Portier"))
            event = fake.create_event(
                account, summary=f"Visit {i}-{j}", start=start,
                end=start + timedelta(hours=1), attendees=people,
            )  # fmt: skip
            first_event.setdefault(account, event["id"])
        tokens = fake.issue_tokens(
            account, scopes=("https://www.googleapis.com/auth/calendar.events.readonly",)
        )
        connections.append(
            Connection(
                company=company, user=user, provider="google", account_id=account,
                account_name=user.name, location=location,
                refresh_token=tokens["refresh_token"], access_token=tokens["access_token"],
                access_token_expires_at=datetime.now(UTC) + timedelta(hours=1),
                scopes=tokens["scope"],
            )
        )  # fmt: skip
    connections = Connection.objects.bulk_create(connections, batch_size=1000)
    Calendar.objects.bulk_create(
        (
            Calendar(
                connection=c, remote_id=c.account_id, name=c.account_id,
                is_primary=True, selected=True, time_zone="Europe/Berlin",
            )
            for c in connections
        ),
        batch_size=1000,
    )  # fmt: skip
    vendor = "PostgreSQL" if db.vendor == "postgresql" else "SQLite"
    print(
        f"{n} hosts, calendars and connections, {n * args.events} events ({n} marked) "
        f"seeded in {time.perf_counter() - started:.0f} s; {vendor}, {os.cpu_count()} cores"
    )

    renew_all = timed(
        "renew_channels(): every calendar opens a channel", tasks.renew_channels, fake
    )
    full = timed(
        "poll_calendars(): first (full) sync of every calendar", tasks.poll_calendars, fake
    )
    scan = timed("renew_channels(): quarter-hourly scan, none due", tasks.renew_channels, fake)
    Calendar.objects.update(synced_at=datetime.now(UTC) - timedelta(minutes=61))
    poll = timed("poll_calendars(): hourly backstop, every calendar", tasks.poll_calendars, fake)

    # Change notifications: one change in each of 200 calendars, the push replayed through
    # the webhook view (the simulator's own headers).
    sample = list(first_event.items())[: min(200, n)]
    sent_before = len(fake.notifications_sent)
    for account, event_id in sample:
        fake.update_event(account, event_id, summary="Changed")
    fake.wait_for_notifications(timeout=120)
    pushes = [p for p in fake.notifications_sent[sent_before:] if p.resource_state == "exists"]
    client = Client()

    def deliver():
        for push in pushes:
            client.post(
                "/integrations/google/notifications/",
                HTTP_HOST="127.0.0.1",
                **{"HTTP_" + k.upper().replace("-", "_"): v for k, v in push.headers.items()},
            )

    notified = timed(f"{len(pushes)} pushes: webhook + sync + e-mail, inline", deliver, fake)
    fake.stop()

    renewals_per_hour = n / (6 * 24)  # each 7-day channel is renewed once in ~6 days
    per_renewal = renew_all[0] / n, renew_all[2] / n
    hourly_cpu = 4 * scan[0] + renewals_per_hour * per_renewal[0] + poll[0]
    hourly_calls = 4 * scan[2] + renewals_per_hour * per_renewal[1] + poll[2]
    print(
        f"hourly: polling {poll[0]:.0f} s cpu, {poll[2]} API calls; renewal "
        f"{4 * scan[0] + renewals_per_hour * per_renewal[0]:.0f} s cpu "
        f"({renewals_per_hour:.0f} renewals, 4 scans), "
        f"{4 * scan[2] + renewals_per_hour * per_renewal[1]:.0f} API calls; "
        f"total {hourly_cpu:.0f} worker cpu s/h ({hourly_cpu / 36:.1f} % of one core), "
        f"{hourly_calls:.0f} API calls/h"
    )
    print(
        f"API calls per change notification: {notified[2] / max(1, len(pushes)):.2f} "
        f"({notified[2]} for {len(pushes)})"
    )
    bound = settings.PORTIER_POLL_MINUTES * 60
    tight = settings.PORTIER_POLL_MINUTES_WITHOUT_PUSH * 60
    print(
        f"one worker thread polls all {n} in {poll[1]:.0f} s wall "
        f"({'within' if poll[1] < bound else 'NOT within'} the {bound // 60}-minute bound; "
        f"without push the bound is {tight // 60} minutes: "
        f"{'within' if poll[1] < tight else 'NOT within'})"
    )
    print(f"full sync of all (onboarding): {full[1]:.0f} s wall, {full[2]} API calls")


if __name__ == "__main__":
    main()
