"""No secret reaches the logs: the real `portier serve` (gunicorn's access log, Django's request
log, the worker) in sandbox mode, driven through every flow that puts a secret in a URL or a
header; then the whole log is searched for each secret it saw."""

import os
import re
import secrets
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

from portier.testing.server import portier_serve, stop

pytestmark = pytest.mark.slow

NOT_INHERITED = tuple(
    name
    for name in os.environ
    if name.startswith(("GOOGLE_", "MICROSOFT_", "PORTIER_SANDBOX", "EMAIL_"))
)
ADMIN, PASSWORD = "boss@initech.example", "a-good-long-password"
SETUP = """
from datetime import timedelta
from django.utils import timezone
from portier.accounts.models import User
from portier.locations.models import Location
from portier.visits.services import GuestInfo, Timing, create_appointment

admin = User.objects.get(email="boss@initech.example")
location = Location.objects.create(
    company=admin.company, name="HQ", address="Street 1\\n10117 Berlin", time_zone="Europe/Berlin"
)
admin.primary_location = location
admin.save()
start = timezone.now() + timedelta(days=3)
create_appointment(
    company=admin.company, host=admin, location=location, title="Visit",
    timing=Timing(start, start + timedelta(hours=1), "Europe/Berlin"),
    guests=[GuestInfo("gina@guests.example", "Gina")],
)
"""


def csrf_post(session, base, path, data, *, form_page=None, **kwargs):
    page = session.get(base + (form_page or path))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    return session.post(
        base + path,
        data={**data, "csrfmiddlewaretoken": token},
        headers={"Referer": base + path},
        **kwargs,
    )


def test_the_logs_of_a_real_run_hold_none_of_its_secrets(tmp_path):
    seen: dict[str, str] = {}
    with portier_serve(tmp_path, unset_env=NOT_INHERITED, timeout=90) as served:
        base = served.base_url
        output = served.portier(
            "createcompany", "--name", "Initech", "--admin-email", ADMIN, "--password", PASSWORD
        )
        seen["API token"] = re.search(r"API token: (\S+)", output).group(1)
        served.portier("shell", "-c", SETUP)

        # The API token, in its header.
        me = requests.get(
            base + "/api/v1/me", headers={"Authorization": f"Bearer {seen['API token']}"}
        )
        assert me.status_code == 200

        # A guest opens their page (a static file then comes with the page as Referer), and a
        # guess at another guest's page is logged by Django as "Not Found".
        [(guest_token,)] = served.sql("SELECT token FROM visits_guest")
        seen["guest token"] = guest_token
        guest = requests.Session()
        assert guest.get(f"{base}/visit/{guest_token}/").status_code == 200
        guest.get(
            f"{base}/static/portier/portier.css",
            headers={"Referer": f"{base}/visit/{guest_token}/"},
        )
        seen["guessed guest token"] = secrets.token_urlsafe(24)
        assert guest.get(f"{base}/visit/{seen['guessed guest token']}/").status_code == 404

        # Password reset: the link from the caught e-mail.
        anonymous = requests.Session()
        csrf_post(anonymous, base, "/accounts/password_reset/", {"email": ADMIN})
        rows, _waited = served.wait_for(
            "SELECT text FROM sandbox_caughtmail WHERE text LIKE ?", ("%/accounts/reset/%",)
        )
        text = rows[0][0]
        link = re.search(r"(/accounts/reset/[^/\s]+/([^/\s]+)/)", text)
        seen["password-reset token"] = link.group(2)
        followed = anonymous.get(base + link.group(1))
        assert followed.status_code == 200 and "/set-password/" in followed.url

        # Google (the sandbox's) through its consent page: state, code, signed login hint.
        admin = requests.Session()
        csrf_post(admin, base, "/accounts/login/", {"username": ADMIN, "password": PASSWORD})
        consent = csrf_post(
            admin, base, "/integrations/google/connect/", {}, form_page="/integrations/"
        )
        assert consent.status_code == 200 and "Approve" in consent.text, consent.text[:500]
        auth_query = parse_qs(urlsplit(consent.url).query)
        seen["OAuth state"] = auth_query["state"][0]
        seen["login hint signature"] = auth_query["hint_sig"][0]
        fields = dict(
            re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', consent.text)
        )
        action = unescape(re.search(r'<form method="post" action="([^"]+)"', consent.text).group(1))
        approval = admin.post(
            action, data={**fields, "account": ADMIN, "decision": "approve"}, allow_redirects=False
        )
        callback = approval.headers["Location"]
        seen["OAuth code"] = parse_qs(urlsplit(callback).query)["code"][0]
        connected = admin.get(callback)
        assert f"Google Calendar {ADMIN} is connected." in connected.text

        assert stop(served) == 0
    log = served.log()
    for what, secret in seen.items():
        assert secret not in log, f"the {what} is in the log"
    # The requests were logged, with their secrets cut out.
    assert '"GET /visit/[redacted]/ HTTP/1.1" 200' in log
    assert "Not Found: /visit/[redacted]/" in log
    assert "/accounts/reset/[redacted]/" in log
    assert "/integrations/google/callback/?state=[redacted]&code=[redacted]" in log
