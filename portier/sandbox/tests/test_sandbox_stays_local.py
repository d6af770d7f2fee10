"""`portier serve` refuses to run sandbox mode where strangers can reach it: its consent page,
caught mail and demo logins trust whoever comes."""

import os
import subprocess
import sys

import pytest

from portier.sandbox.google import ensure_only_this_computer


def serve(tmp_path, *args, **env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("GOOGLE_", "MICROSOFT_", "PORTIER_SANDBOX", "DJANGO_SETTINGS"))
    }
    return subprocess.run(
        [sys.executable, "-m", "portier.cli", "serve", *args],
        env={**clean, "PORTIER_DATA_DIR": str(tmp_path), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_serve_refuses_sandbox_mode_on_a_public_base_url(tmp_path):
    done = serve(tmp_path, PORTIER_BASE_URL="https://visitors.acme.example")
    assert done.returncode == 2
    assert "GOOGLE_CLIENT_ID" in done.stderr and "PORTIER_SANDBOX=false" in done.stderr
    assert "https://visitors.acme.example" in done.stderr
    assert "Traceback" not in done.stderr
    database = tmp_path / "portier.sqlite3"  # (absent on PostgreSQL)
    assert not database.exists() or not database.stat().st_size  # nothing started or migrated


def test_serve_refuses_sandbox_mode_bound_to_every_interface(tmp_path):
    done = serve(tmp_path, "--bind", "0.0.0.0:8000", PORTIER_BASE_URL="http://127.0.0.1:8000")
    assert done.returncode == 2
    assert "--bind 0.0.0.0:8000" in done.stderr and "PORTIER_SANDBOX=false" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("base_url", "bind"),
    [
        ("http://127.0.0.1:8000", "127.0.0.1:8000"),
        ("http://localhost:8000", "localhost:8000"),
        ("http://[::1]:8000", "[::1]:8000"),
        ("http://127.0.0.1:8000", "unix:/run/portier.sock"),
    ],
)
def test_loopback_addresses_are_fine_for_the_sandbox(base_url, bind):
    assert ensure_only_this_computer(base_url, bind) is None  # else ImproperlyConfigured
