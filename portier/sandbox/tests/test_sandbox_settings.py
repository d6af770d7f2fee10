"""Sandbox mode is on without a Google client, never with one, and catches mail unless SMTP is
configured: checked in fresh processes, as settings are read once at start."""

import json
import os
import subprocess
import sys

import pytest

SANDBOX_ID = "portier-sandbox.apps.googleusercontent.com"
MICROSOFT_SANDBOX_ID = "00000000-0000-0000-0000-00000000cafe"
PROBE = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps([s.PORTIER_SANDBOX, s.EMAIL_BACKEND, s.GOOGLE_CLIENT_ID]))"
)


def settings_with(tmp_path, probe=PROBE, **env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(
            ("GOOGLE_", "MICROSOFT_", "PORTIER_SANDBOX", "EMAIL_", "PORTIER_BASE_URL")
        )
        and k not in ("PORTIER_INVITE_ADDRESS", "DEFAULT_FROM_EMAIL")
        and k != "DJANGO_SETTINGS_MODULE"
    }
    result = subprocess.run(
        [sys.executable, "-c", probe],
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "portier.settings",
            "PORTIER_DATA_DIR": str(tmp_path),
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.parametrize(
    ("env", "sandbox", "backend"),
    [
        ({}, True, "portier.sandbox.mail.CatchingBackend"),
        ({"EMAIL_HOST": "smtp.example.com"}, True, "django.core.mail.backends.smtp.EmailBackend"),
        ({"PORTIER_SANDBOX": "false"}, False, "django.core.mail.backends.console.EmailBackend"),
        ({"GOOGLE_CLIENT_ID": "real.apps.googleusercontent.com"}, False, None),
        (
            {"GOOGLE_CLIENT_ID": "real.apps.googleusercontent.com", "PORTIER_SANDBOX": "true"},
            False,
            None,
        ),
        # A real client id never counts as the sandbox's, even next to a sandbox URL.
        (
            {
                "GOOGLE_CLIENT_ID": "real.apps.googleusercontent.com",
                "PORTIER_SANDBOX_GOOGLE_URL": "http://127.0.0.1:1",
            },
            False,
            None,
        ),
        # What `portier serve` gives its children in sandbox mode.
        (
            {"GOOGLE_CLIENT_ID": SANDBOX_ID, "PORTIER_SANDBOX_GOOGLE_URL": "http://127.0.0.1:1"},
            True,
            "portier.sandbox.mail.CatchingBackend",
        ),
        # A real Microsoft registration ends it as well; the sandbox's own does not.
        ({"MICROSOFT_CLIENT_ID": "6731de76-14a6-49ae-97bc-6eba6914391e"}, False, None),
        (
            {
                "GOOGLE_CLIENT_ID": SANDBOX_ID,
                "PORTIER_SANDBOX_GOOGLE_URL": "http://127.0.0.1:1",
                "MICROSOFT_CLIENT_ID": MICROSOFT_SANDBOX_ID,
                "PORTIER_SANDBOX_MICROSOFT_URL": "http://127.0.0.1:2",
            },
            True,
            "portier.sandbox.mail.CatchingBackend",
        ),
        (
            {"MICROSOFT_CLIENT_ID": MICROSOFT_SANDBOX_ID},  # without the sandbox's URL: real
            False,
            None,
        ),
    ],
)
def test_sandbox_mode(tmp_path, env, sandbox, backend):
    is_on, email_backend, _client_id = settings_with(tmp_path, **env)
    assert is_on is sandbox
    if backend:
        assert email_backend == backend
    if not sandbox:
        assert email_backend != "portier.sandbox.mail.CatchingBackend"


ADDRESSES = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps([s.PORTIER_INVITE_ADDRESS, s.DEFAULT_FROM_EMAIL]))"
)


@pytest.mark.parametrize(
    ("env", "invite", "sender"),
    [
        # make run: readable example addresses, as the README shows, not invite@127.0.0.1.
        ({}, "invite@portier.example", "portier@portier.example"),
        # Sandbox mode with a real mail server: the sender is at the base URL's host.
        ({"EMAIL_HOST": "smtp.example.com"}, "invite@portier.example", "portier@127.0.0.1"),
        (
            {"PORTIER_SANDBOX": "false", "PORTIER_BASE_URL": "https://portier.acme.example"},
            "invite@portier.acme.example",
            "portier@portier.acme.example",
        ),
        (
            {"PORTIER_INVITE_ADDRESS": "Visits@Acme.example", "DEFAULT_FROM_EMAIL": "p@acme.test"},
            "visits@acme.example",
            "p@acme.test",
        ),
    ],
)
def test_invitation_address_and_sender(tmp_path, env, invite, sender):
    assert settings_with(tmp_path, probe=ADDRESSES, **env) == [invite, sender]
