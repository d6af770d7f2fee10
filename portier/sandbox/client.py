"""The web process's side of the sandbox Google: its control API over HTTP.

The simulated Google runs in the `portier serve` parent process; web workers reach it at
PORTIER_SANDBOX_GOOGLE_URL with the token in PORTIER_SANDBOX_CONTROL_TOKEN (both set by serve
for its children). See portier/sources/google/simulator/control.py for the endpoints.
"""

import hashlib
import hmac
import http.client
import json
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from portier.lib.errors import DomainError

TIMEOUT = 10


class SandboxUnavailable(DomainError):
    pass


def is_running() -> bool:
    """Whether this process was started by a `portier serve` that runs the sandbox Google."""
    return bool(
        settings.PORTIER_SANDBOX
        and settings.PORTIER_SANDBOX_GOOGLE_URL
        and settings.PORTIER_SANDBOX_CONTROL_TOKEN
    )


def is_simulator_url(url: str) -> bool:
    """Whether a redirect goes to the sandbox's simulator (its consent page)."""
    base = settings.PORTIER_SANDBOX_GOOGLE_URL.rstrip("/")
    return bool(base) and (url == base or url.startswith(base + "/"))


def _request(method: str, path: str, body: dict | None = None):
    if not is_running():
        raise SandboxUnavailable(
            _("The sandbox Google runs inside `portier serve` (`make run`); it is not running.")
        )
    url = urlsplit(settings.PORTIER_SANDBOX_GOOGLE_URL)
    payload = json.dumps(body).encode() if body is not None else None
    headers = {"Authorization": f"Bearer {settings.PORTIER_SANDBOX_CONTROL_TOKEN}"}
    if payload is not None:
        headers["Content-Type"] = "application/json"
    # http.client, not urllib: no proxy from the environment between us and loopback.
    connection = http.client.HTTPConnection(url.netloc, timeout=TIMEOUT)
    try:
        connection.request(method, "/_sandbox/" + path, body=payload, headers=headers)
        response = connection.getresponse()
        data = response.read()
    except (OSError, http.client.HTTPException) as exc:
        raise SandboxUnavailable(
            _("The sandbox Google did not answer (%(error)s).") % {"error": exc}
        ) from exc
    finally:
        connection.close()
    answer = json.loads(data) if data else None
    if response.status >= 400:
        message = ((answer or {}).get("error") or {}).get("message") or response.reason
        if response.status == 404:
            raise SandboxUnavailable(_("This event no longer exists in the sandbox calendar."))
        raise DomainError(_("The sandbox Google refused: %(message)s") % {"message": message})
    return answer


def _events_path(calendar_id: str, event_id: str | None = None) -> str:
    path = f"calendars/{quote(calendar_id, safe='')}/events"
    return f"{path}/{quote(event_id, safe='')}" if event_id else path


def ensure_account(email: str, name: str, time_zone: str) -> dict:
    return _request(
        "POST", "accounts", {"email": email, "name": name or None, "time_zone": time_zone}
    )


def list_events(calendar_id: str) -> list[dict]:
    return _request("GET", _events_path(calendar_id))["items"]


def get_event(calendar_id: str, event_id: str) -> dict:
    return _request("GET", _events_path(calendar_id, event_id))


def create_event(calendar_id: str, fields: dict) -> dict:
    return _request("POST", _events_path(calendar_id), fields)


def update_event(calendar_id: str, event_id: str, fields: dict) -> dict:
    return _request("PATCH", _events_path(calendar_id, event_id), fields)


def delete_event(calendar_id: str, event_id: str) -> None:
    _request("DELETE", _events_path(calendar_id, event_id))


def signed_login_hint(email: str) -> dict[str, str]:
    """``login_hint`` and its signature, which the sandbox Google requires of every consent so
    that a user can only connect their own sandbox account (docs/sandbox.md)."""
    key = settings.PORTIER_SANDBOX_CONTROL_TOKEN.encode()
    signature = hmac.new(key, b"login_hint:" + email.encode(), hashlib.sha256).hexdigest()
    return {"login_hint": email, "hint_sig": signature}
