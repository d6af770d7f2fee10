"""Shared by the benchmarks that run the real `portier serve`: the Google simulator and an SMTP
sink in this process, a company with a host whose calendar is connected through the real views.
"""

import re
import sys
import threading
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from portier.testing.fakes.smtp import Received, SmtpSink  # noqa: E402

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
        "GOOGLE_CLIENT_ID": fake.client_id,
        "GOOGLE_CLIENT_SECRET": fake.client_secret,
        "GOOGLE_AUTH_URI": fake.auth_uri,
        "GOOGLE_TOKEN_URI": fake.token_uri,
        "GOOGLE_REVOKE_URI": fake.revoke_uri,
        "GOOGLE_API_URL": fake.api_url,
        "PORTIER_INVITE_ADDRESS": MARKER,
        "PORTIER_SANDBOX": "false",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(sink.port),
        "LOG_LEVEL": "WARNING",
        **extra,
    }


def _csrf(session, url):
    page = session.get(url)
    page.raise_for_status()
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)


def connect_host(served, fake) -> None:
    """createcompany, a location as the admin's primary one, Connect Google via the views."""
    output = served.portier(
        "createcompany", "--name", "Acme", "--admin-email", ADMIN, "--password", PASSWORD
    )
    token = re.search(r"API token: (\S+)", output).group(1)
    api = {"Authorization": f"Bearer {token}"}
    location = requests.post(
        served.base_url + "/api/v1/locations",
        json={"name": "HQ", "address": "Street 1, Berlin", "code": "HQ"},
        headers=api,
    ).json()
    requests.patch(
        served.base_url + "/api/v1/me", json={"primary_location_id": location["id"]}, headers=api
    ).raise_for_status()
    session = requests.Session()
    login = _csrf(session, served.base_url + "/accounts/login/")
    session.post(
        served.base_url + "/accounts/login/",
        data={"username": ADMIN, "password": PASSWORD, "csrfmiddlewaretoken": login},
        allow_redirects=False,
    )
    token = _csrf(session, served.base_url + "/integrations/")
    response = session.post(
        served.base_url + "/integrations/google/connect/",
        data={"csrfmiddlewaretoken": token},
        allow_redirects=False,
    )
    page = session.get(fake.approve_url(response.headers["Location"], account=ADMIN))
    assert "is connected" in page.text, page.text[:2000]
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
