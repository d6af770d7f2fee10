"""Secrets that travel in URLs are cut out of every log line (the end-to-end proof with the
real `portier serve` is tests/test_log_secrets.py)."""

import logging

import pytest

from portier.lib.logs import RedactSecrets, redact


@pytest.mark.parametrize(
    ("line", "secret"),
    [
        ('"GET /accounts/reset/MQ/cxyz-0a1b2c3d4e5f/ HTTP/1.1" 302 0 "-"', "cxyz-0a1b2c3d4e5f"),
        ("Not Found: /visit/Gu3st-T0ken_abc/", "Gu3st-T0ken_abc"),
        ('"POST /kiosk/K1osk-S3cret_x/ HTTP/1.1" 200 512 "-"', "K1osk-S3cret_x"),
        ('"GET /static/p.css HTTP/1.1" 200 9 "http://h/visit/Gu3st-T0ken_abc/"', "Gu3st-T0ken_abc"),
        ('"GET /integrations/google/callback/?state=St4te&code=4/0Co-de HTTP/1.1"', "St4te"),
        ('"GET /integrations/google/callback/?state=St4te&code=4/0Co-de HTTP/1.1"', "4/0Co-de"),
        ('"GET /o/oauth2/auth?login_hint=a%40b&hint_sig=5ig HTTP/1.1"', "5ig"),
        # A login redirect carries the callback's query URL-encoded.
        ("GET /accounts/login/?next=/callback/%3Fstate%3DSt4te%26code%3D4", "St4te"),
        ("GET /accounts/login/?next=/callback/%3Fcode%3D4%2F0Co-de", "4%2F0Co-de"),
    ],
)  # fmt: skip
def test_secrets_in_urls_are_redacted(line, secret):
    assert secret in line
    assert secret not in redact(line) and "[redacted]" in redact(line)


def test_pages_without_secrets_stay_readable():
    for line in ("GET /accounts/reset/done/", "GET /accounts/login/?next=/", "GET /api/v1/me"):
        assert redact(line) == line


def test_the_filter_redacts_the_formatted_message():
    record = logging.LogRecord("django.request", logging.WARNING, "", 0, "Not Found: %s",
                               ("/visit/Gu3st-T0ken_abc/",), None)  # fmt: skip
    assert RedactSecrets().filter(record)
    assert record.getMessage() == "Not Found: /visit/[redacted]/"
