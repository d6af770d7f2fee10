"""The appointments list and the front desk with 100,000 appointments: page and API times.

    .venv/bin/python bench/dashboard.py [--appointments 100000] [--requests 50]

Seeds one company (bulk_create: appointments over two years, two guests each, outbox rows for
the upcoming ones), then times the first page of /appointments/, of /api/v1/appointments and
the front desk of one location (today's guests, its 30-second refresh, a search, the on-site list)
through Django's test Client (the whole request: middleware, queries, template), and prints
p50/p95 and the number of SQL queries per request. SQLite, or DATABASE_URL's PostgreSQL
(a fresh database).
"""

import argparse
import statistics
import time
import uuid
from datetime import UTC, datetime, timedelta

from _setup import django_with_fresh_database

GUESTS_PER_APPOINTMENT = 2


def seed(n: int):
    from django.db import transaction

    from portier.accounts.models import ApiToken
    from portier.companies.services import create_company
    from portier.invitations.kinds import Kind
    from portier.locations.services import create_location
    from portier.outbox.models import Notification, Status
    from portier.testing.factories import make_member
    from portier.visits.models import Appointment, Guest, Source

    company, admin = create_company(
        name="Bench", admin_email="admin@bench.example", password="x-bench-password-1"
    )
    locations = [
        create_location(
            company=company, name=f"Office {i}", address="Street 1", time_zone="Europe/Berlin"
        )
        for i in range(5)
    ]
    hosts = [admin] + [
        make_member(company, email=f"host{i}@bench.example", name=f"Host {i}") for i in range(19)
    ]
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    first = now - timedelta(days=365)
    step = timedelta(days=730) / n
    with transaction.atomic():
        batch = []
        for i in range(n):
            start = first + step * i
            batch.append(
                Appointment(
                    company=company,
                    host=hosts[i % len(hosts)],
                    location=locations[i % len(locations)],
                    title=f"Visit {i}",
                    starts_at=start,
                    ends_at=start + timedelta(hours=1),
                    time_zone="Europe/Berlin",
                    source="google" if i % 3 else Source.MANUAL,
                    held_code="NOPE" if i % 97 == 0 else "",
                )
            )
        Appointment.objects.bulk_create(batch, batch_size=5000)
        appointments = list(Appointment.objects.values_list("pk", "starts_at"))
        guests = [
            Guest(appointment_id=pk, email=f"guest{pk}-{j}@example.org", name=f"Guest {pk} {j}")
            for pk, _start in appointments
            for j in range(GUESTS_PER_APPOINTMENT)
        ]
        Guest.objects.bulk_create(guests, batch_size=5000)
        upcoming = {pk for pk, start in appointments if start > now}
        rows = [
            Notification(
                company=company,
                kind=Kind.INVITATION,
                key=f"inv:{g.appointment_id}:{g.email}",
                lane=f"a{g.appointment_id}:{g.email}",
                recipient=g.email,
                appointment_id=g.appointment_id,
                guest=g,
                version=1,
                status=Status.SENT if g.appointment_id % 2 else Status.QUEUED,
                message_id=f"<{uuid.uuid4().hex}@bench>",
            )
            for g in Guest.objects.filter(appointment_id__in=upcoming).only(
                "pk", "appointment_id", "email"
            )
        ]
        Notification.objects.bulk_create(rows, batch_size=5000)
    _token, raw = ApiToken.issue(admin, "bench")
    return admin, hosts[1], locations[0], raw, len(guests), len(rows)


def timed(client, url, data, headers, runs: int) -> tuple[float, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url, data, **headers)  # warm up
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url, data, **headers)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as queries:
        client.get(url, data, **headers)
    times.sort()
    p95 = times[max(0, round(len(times) * 0.95) - 1)]
    return statistics.median(times), p95, len(queries)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--appointments", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()
    django_with_fresh_database()

    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    started = time.perf_counter()
    admin, host, location, token, guests, outbox = seed(args.appointments)
    from django.db import connection as db

    vendor = "PostgreSQL" if db.vendor == "postgresql" else "SQLite"
    seeded = time.perf_counter() - started
    print(
        f"seeded {args.appointments} appointments, {guests} guests, {outbox} outbox rows "
        f"in {seeded:.1f} s ({vendor})"
    )

    admin_client, host_client = Client(), Client()
    admin_client.force_login(admin)
    host_client.force_login(host)
    api = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    day = (datetime.now(UTC) + timedelta(days=30)).date()
    desk = f"/front-desk/{location.pk}/"
    from django.conf import settings

    settings.PORTIER_METRICS_TOKEN = "bench-metrics-token"
    scrape = {"HTTP_AUTHORIZATION": "Bearer bench-metrics-token"}
    cases = [
        ("page  /appointments/ (admin, all)", admin_client, "/appointments/", {}, {}),
        ("page  /appointments/ (host, own)", host_client, "/appointments/", {}, {}),
        (
            "page  /appointments/ ?location&date",
            admin_client,
            "/appointments/",
            {"location": location.pk, "date": day.isoformat()},
            {},
        ),
        (
            "page  /appointments/ ?q=Guest 4242",
            admin_client,
            "/appointments/",
            {"q": "Guest 4242"},
            {},
        ),
        (
            "htmx  /appointments/ (poll)",
            admin_client,
            "/appointments/",
            {},
            {"HTTP_HX_REQUEST": "true"},
        ),
        ("api   /api/v1/appointments", Client(), "/api/v1/appointments", {}, api),
        (
            "api   /api/v1/appointments ?location_id&from&to",
            Client(),
            "/api/v1/appointments",
            {
                "location_id": location.pk,
                "from": f"{day}T00:00:00Z",
                "to": f"{day + timedelta(days=7)}T00:00:00Z",
            },
            api,
        ),
        ("desk  /front-desk/<location>/ (today)", admin_client, desk, {}, {}),
        (
            "desk  /front-desk/<location>/ (poll)",
            admin_client,
            desk,
            {},
            {"HTTP_HX_REQUEST": "true"},
        ),
        ("desk  /front-desk/<location>/ ?q=Guest", admin_client, desk, {"q": "Guest"}, {}),
        ("desk  /front-desk/<location>/on-site/", admin_client, desk + "on-site/", {}, {}),
        ("ops   /metrics (whole outbox, all calendars)", Client(), "/metrics", {}, scrape),
    ]
    print(f"{args.requests} requests each, first page (50 rows):")
    print(f"{'':48} {'p50':>8} {'p95':>8} {'queries':>8}")
    for name, client, url, data, headers in cases:
        p50, p95, queries = timed(client, url, data, headers, args.requests)
        print(f"{name:48} {p50:6.1f}ms {p95:6.1f}ms {queries:8d}")


if __name__ == "__main__":
    main()
