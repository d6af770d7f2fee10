"""Recovery times, measured from outside (issue 15 item 2), with a real worker process
(`portier run_huey`) and an SMTP server on loopback:

1. the worker is SIGKILLed while it sends an appointment's six invitations (the server takes a
   second per message), and a new worker is started at once: seconds from the kill until every
   guest has their invitation, and whether any repeat differs from the first copy;
2. the mail server refuses connections for 20 s while an appointment is created: seconds from
   the outage's end until every guest has their invitation;
3. the mail server takes 45 s to accept one message (longer than a claim's lease): the live
   worker's renewals keep the row its own, so the guest gets it once.

    .venv/bin/python bench/recovery.py
"""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta

from _setup import django_with_fresh_database

GUESTS = 6


def start_worker(env) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "portier.cli", "run_huey"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def kill(process: subprocess.Popen, sig=signal.SIGKILL) -> None:
    os.killpg(process.pid, sig)
    process.wait()


def main() -> None:
    django_with_fresh_database()
    from django.utils import timezone

    from portier.companies.services import create_company
    from portier.locations.services import create_location
    from portier.testing.fakes.smtp import SmtpSink
    from portier.visits.services import GuestInfo, Timing, create_appointment

    sink = SmtpSink().start()
    env = {
        **os.environ,
        "EMAIL_HOST": sink.host,
        "EMAIL_PORT": str(sink.port),
        "EMAIL_TIMEOUT": "5",
        "DJANGO_SETTINGS_MODULE": "portier.settings",
    }
    company, host = create_company(
        name="Bench", admin_email="host@bench.example", password="x-bench-password-1"
    )
    location = create_location(
        company=company, name="HQ", address="Street 1", time_zone="Europe/Berlin"
    )

    def appointment(tag: str, guests: int = GUESTS) -> list[str]:
        start = timezone.now() + timedelta(days=2)
        emails = [f"{tag}-{i}@guests.example" for i in range(guests)]
        create_appointment(
            company=company,
            host=host,
            location=location,
            title=tag,
            timing=Timing(start, start + timedelta(hours=1), "Europe/Berlin"),
            guests=[GuestInfo(e) for e in emails],
        )
        return emails

    def wait_for_all(emails: list[str], timeout: float = 300) -> float:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            got = {r.rcpt_tos[0] for r in sink.received}
            if got >= set(emails):
                return time.monotonic()
            time.sleep(0.05)
        raise SystemExit(f"not every guest got their e-mail within {timeout} s")

    worker = start_worker(env)
    try:
        # 1. Killed while sending.
        sink.data_delay = 1.0
        emails = appointment("killed")
        sink.wait_for(2, timeout=60)  # two went out, the third is on the wire
        kill(worker)
        killed_at = time.monotonic()
        worker = start_worker(env)
        done = wait_for_all(emails)
        copies = {}
        for received in sink.received:
            copies.setdefault(received.rcpt_tos[0], []).append(received.message.as_bytes())
        repeats = {e: c for e, c in copies.items() if len(c) > 1}
        identical = all(len(set(c)) == 1 for c in repeats.values())
        print(
            f"worker killed mid-batch: all {GUESTS} guests had their invitation "
            f"{done - killed_at:.1f} s after the kill; repeats: {len(repeats)} "
            f"({'byte-identical' if identical else 'DIFFERENT'})"
        )

        # 2. The mail server away for 20 s.
        sink.data_delay = 0.0
        sink.stop()
        emails = appointment("outage")
        time.sleep(20)
        sink.start()
        back = time.monotonic()
        done = wait_for_all(emails)
        print(
            f"mail server away for 20 s: all {GUESTS} guests had their invitation "
            f"{done - back:.1f} s after it came back"
        )

        # 3. A slow server: the lease is renewed while sending, nobody takes the row over.
        from portier.outbox.delivery import LEASE

        kill(worker, signal.SIGTERM)
        worker = start_worker({**env, "EMAIL_TIMEOUT": "120"})  # patient enough for the server
        sink.data_delay = LEASE.total_seconds() * 1.5
        (email,) = appointment("slow", guests=1)
        wait_for_all([email])
        time.sleep(LEASE.total_seconds() + 5)  # a second copy would come now
        copies = sum(r.rcpt_tos[0] == email for r in sink.received)
        print(f"a message that took {sink.data_delay:.0f} s to send arrived {copies} time(s)")
    finally:
        kill(worker, signal.SIGTERM)
        sink.stop()


if __name__ == "__main__":
    main()
