"""Guest e-mails through real processes: `portier serve` (web + Huey consumer) -> SMTP sink.

Immediate mode hides commit-timing and concurrency bugs; here the consumer's two worker
threads claim rows concurrently and each guest must still get exactly one invitation."""

import time

import pytest

from portier.testing.fakes.smtp import SmtpSink
from portier.testing.server import portier_serve

pytestmark = pytest.mark.slow
APPOINTMENTS, GUESTS = 10, 3

SCRIPT = f"""
from datetime import timedelta
from django.utils import timezone
from portier.accounts.models import User
from portier.locations.models import Location
from portier.visits.services import GuestInfo, Timing, create_appointment

host = User.objects.get(email="alice@acme.example")
location = Location.objects.create(
    company=host.company, name="HQ", address="Street 1\\n10117 Berlin", time_zone="Europe/Berlin"
)
start = timezone.now() + timedelta(days=3)
for i in range({APPOINTMENTS}):
    create_appointment(
        company=host.company,
        host=host,
        location=location,
        title=f"Visit {{i}}",
        timing=Timing(start, start + timedelta(hours=1), "Europe/Berlin"),
        guests=[GuestInfo(f"guest{{i}}-{{j}}@example.org") for j in range({GUESTS})],
    )
"""


def test_invitations_are_delivered_once_by_the_real_worker(tmp_path):
    sink = SmtpSink().start()
    env = {"EMAIL_HOST": sink.host, "EMAIL_PORT": str(sink.port), "EMAIL_TIMEOUT": "5"}
    try:
        with portier_serve(tmp_path, extra_env=env) as served:
            served.portier(
                "createcompany", "--name", "Acme", "--admin-email", "alice@acme.example",
                "--password", "pw-for-alice-1",
            )  # fmt: skip
            served.portier("shell", "-c", SCRIPT)
            committed = time.monotonic()
            sink.wait_for(APPOINTMENTS * GUESTS, timeout=30)
            waited = time.monotonic() - committed
            time.sleep(0.5)  # anything doubled would arrive now
            recipients = [r.rcpt_tos[0] for r in sink.received]
            assert len(recipients) == len(set(recipients)) == APPOINTMENTS * GUESTS
            rows, _ = served.wait_for(
                "SELECT status, COUNT(*) FROM invitations_notification GROUP BY status",
                until=lambda rows: rows and all(status == "sent" for status, _n in rows),
            )
            assert rows == [("sent", APPOINTMENTS * GUESTS)]
            print(f"\n{APPOINTMENTS * GUESTS} invitations delivered {waited:.2f}s after commit")
    finally:
        sink.stop()
