"""The webhook's own cost, in-process: N valid notifications through Django's full stack
(WSGI handler, every middleware, the view, request_sync) with the queue hop turned off, so
only what the web process does is timed; cProfile's top functions.

    .venv/bin/python bench/webhook_profile.py [--requests 2000]
"""

import argparse
import cProfile
import pstats
import time

from _setup import django_with_fresh_database


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=2000)
    args = parser.parse_args()
    django_with_fresh_database()

    from django.db import connection as db
    from django.test import Client

    from portier.companies.services import create_company
    from portier.integrations.models import Calendar, Connection
    from portier.locations.services import create_location

    company, host = create_company(
        name="Bench", admin_email="host@bench.example", password="x-bench-password-1"
    )
    location = create_location(
        company=company, name="HQ", address="Street 1", time_zone="Europe/Berlin"
    )
    connection = Connection.objects.create(
        company=company, user=host, provider="google", account_id="host@bench.example",
        location=location, refresh_token="r" * 100, access_token="a" * 180,
    )  # fmt: skip
    calendar = Calendar.objects.create(
        connection=connection, remote_id="host@bench.example", name="Host", selected=True,
        channel_id="c" * 32, channel_token="t" * 43, channel_resource_id="res-1",
        # A sync is queued: every notification takes the path of a burst (mark due, no task).
        sync_queued_at=__import__("django.utils.timezone").utils.timezone.now(),
    )  # fmt: skip
    headers = {
        "HTTP_HOST": "127.0.0.1",
        "HTTP_X_GOOG_CHANNEL_ID": calendar.channel_id,
        "HTTP_X_GOOG_CHANNEL_TOKEN": "t" * 43,
        "HTTP_X_GOOG_RESOURCE_ID": "res-1",
        "HTTP_X_GOOG_RESOURCE_STATE": "exists",
        "HTTP_X_GOOG_MESSAGE_NUMBER": "2",
    }
    client = Client()
    url = "/integrations/google/notifications/"
    for _ in range(50):
        client.post(url, **headers)
    statements = [0]

    def count(execute, sql, params, many, context):
        statements[0] += 1
        return execute(sql, params, many, context)

    plain = []
    for _ in range(args.requests):
        started = time.perf_counter()
        client.post(url, **headers)
        plain.append(time.perf_counter() - started)
    plain.sort()
    profiler = cProfile.Profile()
    times = []
    with db.execute_wrapper(count):
        for _ in range(args.requests):
            started = time.perf_counter()
            profiler.enable()
            response = client.post(url, **headers)
            profiler.disable()
            times.append(time.perf_counter() - started)
            assert response.status_code == 200
    n = args.requests
    vendor = "PostgreSQL" if db.vendor == "postgresql" else "SQLite"
    print(
        f"{n} notifications in-process ({vendor}): {n / sum(plain):.0f}/s on one thread, "
        f"p50 {plain[n // 2] * 1000:.2f} ms, p99 {plain[int(n * 0.99)] * 1000:.2f} ms, "
        f"{statements[0] / n:.1f} SQL statements each; profiled: {n / sum(times):.0f}/s"
    )
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(35)


if __name__ == "__main__":
    main()
