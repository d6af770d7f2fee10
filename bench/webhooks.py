"""Webhook intake: push notifications one web process absorbs while syncs run.

    .venv/bin/python bench/webhooks.py [--seconds 15] [--clients 8] [--web-threads 4]

Runs `portier serve --web-workers 1 --web-threads N` (one gunicorn process, N threads) with its
Huey worker, the Google simulator and an SMTP sink. Client processes post valid notifications
for the host's calendar (the headers the simulator itself sends) as fast as they are answered,
while the simulator changes a marked event every 200 ms (each change pushes too, so syncs run
throughout). Prints notifications per second, p50/p99 of the answer, the number of syncs they
caused, and whether the last change reached the database (no sync lost).
"""

import argparse
import http.client
import multiprocessing
import os
import statistics
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

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

PATH = "/integrations/google/notifications/"


def client(base_url: str, headers: dict, until: float, out) -> None:
    host, port = urlsplit(base_url).hostname, urlsplit(base_url).port
    times = []
    while time.time() < until:
        at, started = time.time(), time.perf_counter()
        conn = http.client.HTTPConnection(host, port, timeout=30)
        conn.request("POST", PATH, body=b"", headers=headers)
        response = conn.getresponse()
        response.read()
        conn.close()
        times.append((at, time.perf_counter() - started))
        assert response.status == 200, response.status
    out.put(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--web-threads", type=int, default=4)
    args = parser.parse_args()

    fake = FakeGoogle().start()
    fake.add_account(ADMIN, name="Alice", time_zone="Europe/Berlin")
    sink = TimedSink().start()
    data_dir = Path(tempfile.mkdtemp(prefix="portier-webhooks-"))
    with portier_serve(
        data_dir,
        extra_env=server_env(fake, sink),
        serve_args=("--web-workers", "1", "--web-threads", str(args.web_threads)),
    ) as served:
        connect_host(served, fake)
        base = datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(days=3)
        event = fake.create_event(
            ADMIN, summary="Change 0", start=base, end=base + timedelta(hours=1),
            attendees=[("guest@initech.example", "Guest"), (MARKER, "Portier")],
        )  # fmt: skip
        sink.wait_for(1, timeout=60)
        fake.wait_for_notifications()
        pushed = fake.notifications_sent[-1].headers
        headers = {k: v for k, v in pushed.items() if k.lower().startswith("x-goog-")}
        headers["X-Goog-Resource-State"] = "exists"
        time.sleep(1)
        syncs_before = syncs(fake)

        stop = threading.Event()
        changes = [0]

        def change_events():
            while not stop.is_set():
                changes[0] += 1
                fake.update_event(ADMIN, event["id"], summary=f"Change {changes[0]}")
                stop.wait(0.2)

        changer = threading.Thread(target=change_events)
        ctx = multiprocessing.get_context("spawn")
        out = ctx.Queue()
        until = time.time() + 2 + args.seconds
        procs = [
            ctx.Process(target=client, args=(served.base_url, headers, until, out))
            for _ in range(args.clients)
        ]
        for p in procs:
            p.start()
        time.sleep(2)  # clients started (spawn imports take a moment)
        changer.start()
        window = until - args.seconds  # the clients' first two seconds are a warm-up
        times = [d for _ in procs for at, d in out.get(timeout=args.seconds + 120) if at >= window]
        for p in procs:
            p.join()
        stop.set()
        changer.join()
        final = f"Change {changes[0]}"
        _rows, waited = served.wait_for(
            "SELECT id FROM visits_appointment WHERE title = ?", (final,), timeout=60
        )
        time.sleep(1)
        caused = syncs(fake) - syncs_before
        label = database_label(served)
    fake.stop()
    sink.stop()

    ms = [t * 1000 for t in times]
    rate = len(times) / (args.seconds)
    print(
        f"webhook intake, one gunicorn process with {args.web_threads} thread(s), {label}, "
        f"{os.cpu_count()} cores"
    )
    print(
        f"notifications: {len(times)} from {args.clients} clients in {args.seconds:.0f} s "
        f"= {rate:.0f}/s; answer p50 {percentile(ms, 50):.1f} ms p99 {percentile(ms, 99):.1f} ms "
        f"mean {statistics.mean(ms):.1f} ms"
    )
    print(
        f"event changes meanwhile: {changes[0]}; syncs caused: {caused}; "
        f"last change in the database {waited:.2f} s after the load ended"
    )


if __name__ == "__main__":
    main()
