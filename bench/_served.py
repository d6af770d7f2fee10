"""Shared by the benchmarks that run the real `portier serve`: the Google simulator and an SMTP
sink in this process, a company with a host whose calendar is connected through the real views.
"""

import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from portier.testing.fakes.smtp import Received, SmtpSink  # noqa: E402
from portier.testing.server import connect_google_host, google_env  # noqa: E402

ADMIN = "alice@acme.example"
PASSWORD = "pw-for-alice-1"
MARKER = "invite@portier.example"


class TimedSink(SmtpSink):
    """The SMTP sink, noting when each message was accepted (time.monotonic())."""

    def __init__(self):
        super().__init__()
        self.arrivals: list[tuple[float, Received]] = []
        self.changed = threading.Event()

    def _store(self, received: Received) -> None:
        self.arrivals.append((time.monotonic(), received))
        super()._store(received)


def server_env(fake, sink, **extra) -> dict:
    return {
        **google_env(fake),
        "PORTIER_INVITE_ADDRESS": MARKER,
        "PORTIER_SANDBOX": "false",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(sink.port),
        "LOG_LEVEL": "WARNING",
        **extra,
    }


def connect_host(served, fake) -> None:
    """A company whose admin's Google calendar is connected through the real views, synced."""
    connect_google_host(served, fake, ADMIN, PASSWORD)
    served.wait_for(
        "SELECT synced_at FROM integrations_calendar WHERE synced_at IS NOT NULL", timeout=60
    )


def syncs(fake) -> int:
    """Syncs = first pages of events.list (page tokens continue the same sync)."""
    return sum(
        1
        for method, path, query in list(fake.requests)
        if method == "GET" and path.endswith("/events") and "pageToken" not in query
    )


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]


def database_label(served) -> str:
    url = served.env.get("DATABASE_URL")
    db = "PostgreSQL" if url else "SQLite"
    queue = "Redis" if served.env.get("REDIS_URL") else "SQLite queue"
    return f"{db} + {queue}"
