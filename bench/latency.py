"""Change -> guest e-mail accepted, through the real processes.

    .venv/bin/python bench/latency.py [--changes 100] [--seed 1]

Runs `portier serve` (gunicorn + Huey worker) against the Google simulator and an SMTP sink
in this process, connects a host through the real views, creates one marked event with one
guest, then moves it N times: lone changes 0.8-2.5 s apart, bursts of 3-4 changes 30-300 ms
apart (the later ones land while the first one's sync runs). Each move is a new start time,
so every e-mail's .ics tells which change it carries. A change's latency: from the simulator
applying it (its push goes out at once) to the SMTP sink accepting the first e-mail to the
guest that carries it or a later change (a burst's middle changes are folded into one e-mail).

With DATABASE_URL (PostgreSQL; a fresh database is made) and REDIS_URL set, runs on those.
"""

import argparse
import os
import random
import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import icalendar
from _served import (
    ADMIN,
    MARKER,
    TimedSink,
    connect_host,
    database_label,
    percentile,
    server_env,
    syncs,
)

from portier.sources.google.simulator import FakeGoogle
from portier.testing.server import portier_serve

GUEST = "guest@initech.example"
STEP = timedelta(minutes=5)


def carried(message, base) -> int | None:
    """Which change an e-mail carries: the index of its event's start time."""
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            calendar = icalendar.Calendar.from_ical(part.get_payload(decode=True))
            for event in calendar.walk("VEVENT"):
                start = event.decoded("dtstart")
                return round((start - base) / STEP)
    return None


def plan(n: int, rng: random.Random) -> list[float]:
    """Gaps before each change: lone changes and bursts, about half of the changes each."""
    gaps: list[float] = []
    while len(gaps) < n:
        if rng.random() < 0.5:
            gaps.append(rng.uniform(0.8, 2.5))
        else:
            burst = rng.choice((3, 4))
            gaps.append(rng.uniform(0.8, 2.5))
            gaps += [rng.uniform(0.03, 0.3) for _ in range(burst - 1)]
    return gaps[:n]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--changes", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    fake = FakeGoogle().start()
    fake.add_account(ADMIN, name="Alice", time_zone="Europe/Berlin")
    sink = TimedSink().start()
    token = uuid.uuid4().hex
    env = server_env(fake, sink, PORTIER_METRICS_TOKEN=token)
    data_dir = Path(tempfile.mkdtemp(prefix="portier-latency-"))
    with portier_serve(data_dir, extra_env=env) as served:
        connect_host(served, fake)
        base = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(days=3)
        event = fake.create_event(
            ADMIN,
            summary="Latency",
            start=base,
            end=base + timedelta(hours=1),
            attendees=[(GUEST, "Guest"), (MARKER, "Portier")],
        )
        sink.wait_for(1, timeout=60)  # the invitation
        time.sleep(2)
        syncs_before, mails_before = syncs(fake), len(sink.arrivals)

        changed_at: list[float] = []
        for k, gap in enumerate(plan(args.changes, rng), start=1):
            time.sleep(gap)
            start = base + k * STEP
            fake.update_event(ADMIN, event["id"], start=start, end=start + timedelta(hours=1))
            changed_at.append(time.monotonic())

        deadline = time.monotonic() + 120
        last = len(changed_at)
        while time.monotonic() < deadline:
            if any(carried(r.message, base) == last for _t, r in list(sink.arrivals)):
                break
            time.sleep(0.1)
        time.sleep(1)
        arrivals = [
            (t, carried(r.message, base))
            for t, r in sink.arrivals[mails_before:]
            if GUEST in r.rcpt_tos
        ]
        latencies, lost = [], 0
        for k, t0 in enumerate(changed_at, start=1):
            first = min(
                (t for t, c in arrivals if c is not None and c >= k and t >= t0), default=None
            )
            if first is None:
                lost += 1
            else:
                latencies.append(first - t0)
        metrics = (
            __import__("requests")
            .get(served.base_url + "/metrics", headers={"Authorization": f"Bearer {token}"})
            .text
        )
        label = database_label(served)

    fake.stop()
    sink.stop()
    ms = [x * 1000 for x in latencies]
    print(f"change -> guest e-mail accepted, {label}, {os.cpu_count()} cores")
    print(
        f"changes: {len(changed_at)}, e-mails to the guest: {len(arrivals)}, "
        f"syncs: {syncs(fake) - syncs_before}, never delivered: {lost}"
    )
    print(
        f"p50 {percentile(ms, 50):.0f} ms  p95 {percentile(ms, 95):.0f} ms  "
        f"p99 {percentile(ms, 99):.0f} ms  max {max(ms):.0f} ms  mean {statistics.mean(ms):.0f} ms"
    )
    for line in metrics.splitlines():
        if line.startswith(("portier_sync_lag_seconds{", "portier_guest_email_latency_seconds_s")):
            print("  /metrics:", line)
        if line.startswith("portier_guest_email_latency_seconds_count"):
            print("  /metrics:", line)


if __name__ == "__main__":
    main()
