"""Security headers, cookies and forwarded headers, on http and https base URLs."""

import json
import os
import subprocess
import sys

import pytest
from django.test import RequestFactory

from portier.lib.security import CONTENT_SECURITY_POLICY, TrustedProxyMiddleware, parse_networks

# Runs in a child with the environment of an https installation behind a proxy: settings are
# read once, from the environment, as in production.
HTTPS_PROBE = r"""
import json, django
django.setup()
from django.conf import settings
from django.test import Client

client = Client(HTTP_HOST="portier.example.com")
def probe(**extra):
    response = client.get("/accounts/login/", **extra)
    cookie = response.cookies.get("csrftoken")
    return {
        "status": response.status_code,
        "location": response.get("Location", ""),
        "hsts": response.get("Strict-Transport-Security", ""),
        "csp": response.get("Content-Security-Policy", ""),
        "cookie": cookie and {k: cookie[k] for k in ("secure", "httponly", "samesite")},
    }
print(json.dumps({
    "plain": probe(),
    "secure": probe(secure=True),
    "from_proxy": probe(REMOTE_ADDR="10.1.2.3", HTTP_X_FORWARDED_PROTO="https"),
    "spoofed": probe(REMOTE_ADDR="192.0.2.7", HTTP_X_FORWARDED_PROTO="https"),
    "session_age": settings.SESSION_COOKIE_AGE,
    "session_cookie": [settings.SESSION_COOKIE_SECURE, settings.SESSION_COOKIE_HTTPONLY,
                       settings.SESSION_COOKIE_SAMESITE],
}))
"""


def run_probe(tmp_path, **env):
    child_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portier.settings",
        "PORTIER_DATA_DIR": str(tmp_path),
        **env,
    }
    done = subprocess.run(
        [sys.executable, "-c", HTTPS_PROBE],
        env=child_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_an_https_installation_redirects_sends_hsts_and_believes_only_its_proxy(tmp_path):
    result = run_probe(
        tmp_path,
        PORTIER_BASE_URL="https://portier.example.com",
        PORTIER_TRUSTED_PROXIES="10.0.0.0/8, 127.0.0.1",
        PORTIER_SESSION_DAYS="3",
    )
    # Plain http (from the test client's 127.0.0.1, a trusted proxy that says nothing).
    assert result["plain"]["status"] == 301
    assert result["plain"]["location"] == "https://portier.example.com/accounts/login/"
    assert result["plain"]["csp"] == CONTENT_SECURITY_POLICY
    secure = result["secure"]
    assert secure["status"] == 200
    assert secure["hsts"] == "max-age=31536000"
    assert secure["csp"] == CONTENT_SECURITY_POLICY
    assert secure["cookie"] == {"secure": True, "httponly": True, "samesite": "Lax"}
    # The proxy says the browser spoke https: no redirect, HSTS sent.
    assert result["from_proxy"]["status"] == 200 and result["from_proxy"]["hsts"]
    # Anyone else saying so is not believed: still redirected, no HSTS.
    assert result["spoofed"]["status"] == 301 and not result["spoofed"]["hsts"]
    assert result["session_age"] == 3 * 24 * 3600
    assert result["session_cookie"] == [True, True, "Lax"]


def test_an_http_installation_sends_the_csp_but_no_hsts_or_redirect(tmp_path):
    result = run_probe(tmp_path, PORTIER_BASE_URL="http://portier.example.com")
    plain = result["plain"]
    assert plain["status"] == 200 and not plain["location"]
    assert plain["csp"] == CONTENT_SECURITY_POLICY and not plain["hsts"]
    assert plain["cookie"] == {"secure": "", "httponly": True, "samesite": "Lax"}
    assert result["session_age"] == 14 * 24 * 3600


def test_a_bad_proxy_list_or_session_length_stops_start_up(tmp_path):
    for env, name in (
        ({"PORTIER_TRUSTED_PROXIES": "10.0.0.0/8,nginx"}, "PORTIER_TRUSTED_PROXIES"),
        ({"PORTIER_SESSION_DAYS": "0"}, "PORTIER_SESSION_DAYS"),
    ):
        done = subprocess.run(
            [sys.executable, "-c", "import django; django.setup()"],
            env={
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "portier.settings",
                "PORTIER_DATA_DIR": str(tmp_path),
                **env,
            },
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode != 0 and name in done.stderr


def test_every_page_carries_the_csp_on_http(client, db):
    for url in ("/accounts/login/", "/no-such-page/"):
        response = client.get(url)
        assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
        assert "script-src 'self'" in response["Content-Security-Policy"]
        assert "unsafe-inline" not in response["Content-Security-Policy"].split("style-src")[0]
    assert not client.get("/accounts/login/").has_header("Strict-Transport-Security")


@pytest.fixture
def seen(settings):
    settings.PORTIER_TRUSTED_PROXIES = parse_networks("X", ["10.0.0.0/8", "fd00::/8"])
    captured = {}

    def view(request):
        captured.update(
            scheme=request.scheme,
            secure=request.is_secure(),
            remote=request.META["REMOTE_ADDR"],
        )
        return None

    middleware = TrustedProxyMiddleware(view)
    factory = RequestFactory()

    def call(remote, **headers):
        captured.clear()
        middleware(factory.get("/", REMOTE_ADDR=remote, **headers))
        return captured

    return call


def test_forwarded_headers_from_an_untrusted_address_are_ignored(seen):
    got = seen("192.0.2.7", HTTP_X_FORWARDED_PROTO="https", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert got == {"scheme": "http", "secure": False, "remote": "192.0.2.7"}


def test_forwarded_headers_from_a_trusted_proxy_are_honoured(seen):
    got = seen(
        "10.0.0.2",
        HTTP_X_FORWARDED_PROTO="https",
        # A client-supplied address left of the real one is not believed.
        HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.9, 10.0.0.5",
    )
    assert got == {"scheme": "https", "secure": True, "remote": "203.0.113.9"}
    assert seen("fd00::1", HTTP_X_FORWARDED_FOR="2001:db8::7")["remote"] == "2001:db8::7"
    # Garbage in the header leaves the proxy's own address.
    assert seen("10.0.0.2", HTTP_X_FORWARDED_FOR="not-an-ip")["remote"] == "10.0.0.2"


def test_without_trusted_proxies_nothing_is_believed(seen, settings):
    settings.PORTIER_TRUSTED_PROXIES = ()
    got = seen("10.0.0.2", HTTP_X_FORWARDED_PROTO="https", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert got == {"scheme": "http", "secure": False, "remote": "10.0.0.2"}
