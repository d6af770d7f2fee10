"""Google's error bodies, and the faults a test can inject.

The Calendar API answers errors with the body documented in
https://developers.google.com/workspace/calendar/api/guides/errors::

    {"error": {"errors": [{"domain": ..., "reason": ..., "message": ...}],
               "code": 403, "message": ...}}

The OAuth endpoints answer ``{"error": ..., "error_description": ...}`` instead.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

API_PREFIX = "/calendar/v3/"

# reason -> (domain, message), as listed in the errors guide (quota page for 429).
REASONS = {
    "badRequest": ("global", "Bad Request"),
    "invalid": ("global", "Invalid Value"),
    "required": ("global", "Required"),
    "timeRangeEmpty": ("calendar", "The specified time range is empty."),
    "authError": ("global", "Invalid Credentials"),
    "insufficientPermissions": ("global", "Insufficient Permission"),
    "userRateLimitExceeded": ("usageLimits", "User Rate Limit Exceeded"),
    "rateLimitExceeded": ("usageLimits", "Rate Limit Exceeded"),
    "quotaExceeded": ("usageLimits", "Calendar usage limits exceeded."),
    "forbidden": ("global", "Forbidden"),
    "notFound": ("global", "Not Found"),
    "fullSyncRequired": ("calendar", "Sync token is no longer valid, a full sync is required."),
    "backendError": ("global", "Backend Error"),
    "notImplemented": ("global", "Not implemented by the fake."),
}

DEFAULT_REASON = {
    400: "badRequest",
    401: "authError",
    403: "rateLimitExceeded",
    404: "notFound",
    410: "fullSyncRequired",
    429: "rateLimitExceeded",
    500: "backendError",
    502: "backendError",
    503: "backendError",
}


class ApiError(Exception):
    """Raised inside the fake; the server turns it into Google's JSON error response."""

    def __init__(
        self,
        status: int,
        reason: str | None = None,
        message: str | None = None,
        *,
        location: str | None = None,
        location_type: str = "parameter",
    ):
        self.status = status
        self.reason = reason or DEFAULT_REASON.get(status, "backendError")
        domain, default_message = REASONS.get(self.reason, ("global", self.reason))
        self.domain = domain
        self.message = message or default_message
        self.location = location
        self.location_type = location_type
        super().__init__(f"{status} {self.reason}: {self.message}")

    def body(self) -> dict:
        item = {"domain": self.domain, "reason": self.reason, "message": self.message}
        if self.location:
            item["locationType"] = self.location_type
            item["location"] = self.location
        top = self.message
        if self.reason == "insufficientPermissions":
            top = "Request had insufficient authentication scopes."
        return {"error": {"errors": [item], "code": self.status, "message": top}}


def unauthorized() -> ApiError:
    return ApiError(401, "authError", location="Authorization", location_type="header")


def invalid_parameter(name: str, message: str | None = None) -> ApiError:
    return ApiError(400, "invalid", message, location=name)


@dataclass
class Fault:
    remaining: int
    status: int
    reason: str | None
    message: str | None
    path_prefix: str
    skip: int = 0  # let this many matching requests through first
    hang: float = 0.0  # status 0: no answer; wait this long, then drop the connection

    def error_body(self, path: str) -> dict:
        if path.startswith(API_PREFIX):
            return ApiError(self.status, self.reason, self.message).body()
        # The OAuth endpoints use the RFC 6749 shape.
        reason = self.reason or ("server_error" if self.status >= 500 else "invalid_request")
        return {"error": reason, "error_description": self.message or reason}


@dataclass
class Delay:
    """One slow answer (``delay_next``): the request waits up to ``seconds`` or until released.
    ``arrived`` is set when the request came in, so a test knows the call is in flight."""

    path_prefix: str
    seconds: float
    arrived: threading.Event = field(default_factory=threading.Event)
    released: threading.Event = field(default_factory=threading.Event)

    def wait(self) -> None:
        self.arrived.set()
        self.released.wait(self.seconds)

    def release(self) -> None:
        self.released.set()


class Faults:
    """Queued failures (``fail_next``), slow answers (``delay_next``) and a fixed latency,
    applied by the HTTP server."""

    def __init__(self, lock: threading.RLock):
        self._lock = lock
        self._queue: list[Fault] = []
        self._delays: list[Delay] = []
        self.latency = 0.0
        self._release = threading.Event()  # set: hung requests give up waiting at once

    def delay(self, seconds: float, path_prefix: str = API_PREFIX) -> Delay:
        delay = Delay(path_prefix, seconds)
        with self._lock:
            self._delays.append(delay)
        return delay

    def take_delay(self, path: str) -> Delay | None:
        with self._lock:
            for delay in self._delays:
                if path.startswith(delay.path_prefix):
                    self._delays.remove(delay)
                    return delay
        return None

    def add(
        self,
        n: int = 1,
        status: int = 403,
        reason: str | None = None,
        *,
        message: str | None = None,
        path_prefix: str = API_PREFIX,
        skip: int = 0,
        hang: float = 0.0,
    ) -> None:
        with self._lock:
            if hang:
                self._release.clear()
            self._queue.append(Fault(n, status, reason, message, path_prefix, skip, hang))

    def wait_hung(self, seconds: float) -> None:
        """A timed-out request: no answer for ``seconds`` (or until ``clear()``)."""
        self._release.wait(seconds)

    def take(self, path: str) -> Fault | None:
        """The fault this request must fail with, if any (counts it as used)."""
        with self._lock:
            for fault in self._queue:
                if path.startswith(fault.path_prefix):
                    if fault.skip > 0:
                        fault.skip -= 1
                        continue
                    fault.remaining -= 1
                    if fault.remaining <= 0:
                        self._queue.remove(fault)
                    return fault
        return None

    def release(self) -> None:
        """Hung requests give up waiting now (their connections drop)."""
        self._release.set()

    def clear(self) -> None:
        with self._lock:
            self._queue.clear()
            for delay in self._delays:
                delay.release()
            self._delays.clear()
            self.latency = 0.0
            self._release.set()
