import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from portier.lib.env import env_bool, env_email, env_int, env_str, env_url, secret_from_data_dir


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: env_bool("X_BOOL"), "X_BOOL"),
        (lambda: env_int("X_INT", 1), "X_INT"),
        (lambda: env_url("X_URL", "http://a"), "X_URL"),
        (lambda: env_email("X_MAIL", "a@b.c"), "X_MAIL"),
    ],
)
def test_bad_values_name_the_variable(monkeypatch, call, name):
    monkeypatch.setenv(name, "not valid at all")
    with pytest.raises(ImproperlyConfigured, match=name):
        call()


def test_good_values(monkeypatch):
    monkeypatch.setenv("X_BOOL", "Yes")
    monkeypatch.setenv("X_INT", "42")
    monkeypatch.setenv("X_URL", "https://portier.example.com/")
    assert env_bool("X_BOOL") is True
    assert env_int("X_INT", 1) == 42
    assert env_url("X_URL", "http://a") == "https://portier.example.com"


def test_secrets_can_come_from_files(monkeypatch, tmp_path):
    (tmp_path / "pw").write_text("s3cret\n")
    monkeypatch.setenv("X_PASSWORD_FILE", str(tmp_path / "pw"))
    assert env_str("X_PASSWORD") == "s3cret"


def test_generated_secret_is_created_once(tmp_path):
    first = secret_from_data_dir(tmp_path, "k", lambda: "one")
    second = secret_from_data_dir(tmp_path, "k", lambda: "two")
    assert first == second == "one"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("PORTIER_ENCRYPTION_KEYS", "not-a-fernet-key"),
        ("DEBUG", "maybe"),
        ("EMAIL_PORT", "twenty-five"),
        ("DATABASE_URL", "nosuchdb://x"),
        ("REDIS_URL", "http://127.0.0.1:6379"),
        ("PORTIER_INVITE_ADDRESS", "not an address"),
    ],
)
def test_portier_refuses_to_start_with_a_bad_setting(tmp_path, name, value):
    env = {**os.environ, "PORTIER_DATA_DIR": str(tmp_path), name: value}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, "-m", "portier.cli", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2, result.stderr
    assert name in result.stderr
    assert "Traceback" not in result.stderr
