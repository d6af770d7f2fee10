"""The web process's side of the sandbox's simulated calendars: their control API over HTTP.

The simulated Google and Microsoft run in the `portier serve` parent process; web workers reach
them at PORTIER_SANDBOX_GOOGLE_URL and PORTIER_SANDBOX_MICROSOFT_URL with the token in
PORTIER_SANDBOX_CONTROL_TOKEN (all set by serve for its children). Both speak one dialect:
portier/sources/google/simulator/control.py lists the endpoints.
"""

import hashlib
import hmac
import http.client
import json
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

from portier.lib.errors import DomainError
from portier.sources import registry

TIMEOUT = 10


class SandboxUnavailable(DomainError):
    pass


# The sources whose simulator runs in the sandbox, with the setting that says where.
SIMULATED = {"google": "PORTIER_SANDBOX_GOOGLE_URL", "microsoft": "PORTIER_SANDBOX_MICROSOFT_URL"}


def _base(source: str) -> str:
    return str(getattr(settings, SIMULATED.get(source, ""), "") or "").rstrip("/")


def is_running(source: str = "google") -> bool:
    """Whether this process was started by a `portier serve` that runs the source's sandbox."""
    return bool(
        settings.PORTIER_SANDBOX and _base(source) and settings.PORTIER_SANDBOX_CONTROL_TOKEN
    )


def running_sources() -> list[str]:
    return [source for source in SIMULATED if is_running(source)]


def is_simulator_url(url: str, source: str = "google") -> bool:
    """Whether a redirect goes to the source's sandbox simulator (its consent page)."""
    base = _base(source)
    return bool(base) and (url == base or url.startswith(base + "/"))


def _request(method: str, path: str, body: dict | None = None, *, source: str = "google"):
    if not is_running(source):
        raise SandboxUnavailable(
            _("The sandbox %(source)s runs inside `portier serve` (`make run`); it is not running.")
            % {"source": registry.display_name(source)}
        )
    url = urlsplit(_base(source))
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
            _("The sandbox %(source)s did not answer (%(error)s).")
            % {"source": registry.display_name(source), "error": exc}
        ) from exc
    finally:
        connection.close()
    answer = json.loads(data) if data else None
    if response.status >= 400:
        message = ((answer or {}).get("error") or {}).get("message") or response.reason
        if response.status == 404:
            raise SandboxUnavailable(_("This event no longer exists in the sandbox calendar."))
        raise DomainError(
            _("The sandbox %(source)s refused: %(message)s")
            % {"source": registry.display_name(source), "message": message}
        )
    return answer


def _events_path(calendar_id: str, event_id: str | None = None) -> str:
    path = f"calendars/{quote(calendar_id, safe='')}/events"
    return f"{path}/{quote(event_id, safe='')}" if event_id else path


def ensure_account(email: str, name: str, time_zone: str, *, source: str = "google") -> dict:
    body = {"email": email, "name": name or None, "time_zone": time_zone}
    return _request("POST", "accounts", body, source=source)


def list_events(calendar_id: str, *, source: str = "google") -> list[dict]:
    return _request("GET", _events_path(calendar_id), source=source)["items"]


def get_event(calendar_id: str, event_id: str, *, source: str = "google") -> dict:
    return _request("GET", _events_path(calendar_id, event_id), source=source)


def create_event(calendar_id: str, fields: dict, *, source: str = "google") -> dict:
    return _request("POST", _events_path(calendar_id), fields, source=source)


def update_event(calendar_id: str, event_id: str, fields: dict, *, source: str = "google") -> dict:
    return _request("PATCH", _events_path(calendar_id, event_id), fields, source=source)


def delete_event(calendar_id: str, event_id: str, *, source: str = "google") -> None:
    _request("DELETE", _events_path(calendar_id, event_id), source=source)


def signed_login_hint(email: str) -> dict[str, str]:
    """``login_hint`` and its signature, which the sandbox Google requires of every consent so
    that a user can only connect their own sandbox account (docs/sandbox.md)."""
    key = settings.PORTIER_SANDBOX_CONTROL_TOKEN.encode()
    signature = hmac.new(key, b"login_hint:" + email.encode(), hashlib.sha256).hexdigest()
    return {"login_hint": email, "hint_sig": signature}
