"""Throttles against guessing: failed log-ins and API tokens, password-reset requests.

Counters live in the cache (Redis when REDIS_URL is set, so every worker shares them; without
Redis each process counts on its own). A counter's window opens with its first hit and closes
`window` seconds later; at `limit` hits the key is refused until the window closes.

The client address is REMOTE_ADDR only: behind a reverse proxy that is the proxy's address,
so the per-address limits then count every client together (see docs/configuration.md).
"""

import hashlib
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache


@dataclass(frozen=True)
class Throttle:
    scope: str
    limit_setting: str
    window_setting: str

    @property
    def limit(self) -> int:
        return getattr(settings, self.limit_setting)

    @property
    def window(self) -> int:
        return getattr(settings, self.window_setting)

    def _keys(self, key: str) -> tuple[str, str]:
        digest = hashlib.sha256(key.strip().lower().encode()).hexdigest()[:32]
        base = f"throttle:{self.scope}:{digest}"
        return f"{base}:n", f"{base}:t"

    def retry_after(self, key: str) -> int:
        """Seconds until `key` may try again; 0 when it may now."""
        if not key or self.limit <= 0:
            return 0
        count_key, start_key = self._keys(key)
        values = cache.get_many([count_key, start_key])
        if values.get(count_key, 0) < self.limit:
            return 0
        remaining = values.get(start_key, time.time()) + self.window - time.time()
        # The window is over by the clock even if the cache still holds the counter (its own
        # expiry may lag, and Redis keeps real time while a test moves the clock).
        return max(1, math.ceil(remaining)) if remaining > 0 else 0

    def hit(self, key: str) -> None:
        if not key or self.limit <= 0:
            return
        count_key, start_key = self._keys(key)
        started = cache.get(start_key)
        if started is not None and started + self.window <= time.time():
            cache.delete_many([count_key, start_key])  # a window over by the clock: a new one
        cache.add(start_key, time.time(), timeout=self.window)
        if not cache.add(count_key, 1, timeout=self.window):
            try:
                cache.incr(count_key)
            except ValueError:  # expired between add and incr: a new window
                cache.add(start_key, time.time(), timeout=self.window)
                cache.add(count_key, 1, timeout=self.window)

    def clear(self, key: str) -> None:
        cache.delete_many(list(self._keys(key)))


LOGIN_ACCOUNT = Throttle("login-account", "PORTIER_LOGIN_ATTEMPTS", "PORTIER_LOGIN_WINDOW_SECONDS")
LOGIN_ADDRESS = Throttle(
    "login-address", "PORTIER_LOGIN_ATTEMPTS_PER_ADDRESS", "PORTIER_LOGIN_WINDOW_SECONDS"
)
# Wrong API tokens count against the address with the same limit as wrong passwords.
TOKEN_ADDRESS = Throttle(
    "token-address", "PORTIER_LOGIN_ATTEMPTS_PER_ADDRESS", "PORTIER_LOGIN_WINDOW_SECONDS"
)
RESET_EMAIL = Throttle(
    "reset-email", "PORTIER_PASSWORD_RESETS", "PORTIER_PASSWORD_RESET_WINDOW_SECONDS"
)
RESET_ADDRESS = Throttle(
    "reset-address", "PORTIER_PASSWORD_RESETS_PER_ADDRESS", "PORTIER_PASSWORD_RESET_WINDOW_SECONDS"
)


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") if request is not None else ""


def login_retry_after(request, email: str) -> int:
    return max(LOGIN_ACCOUNT.retry_after(email), LOGIN_ADDRESS.retry_after(client_address(request)))


def login_failed(request, email: str) -> None:
    LOGIN_ACCOUNT.hit(email)
    LOGIN_ADDRESS.hit(client_address(request))


def login_succeeded(email: str) -> None:
    """The password was right: the account's count starts over (the address's does not, or
    one valid account would let an address guess at all the others)."""
    LOGIN_ACCOUNT.clear(email)


def reset_retry_after(request, email: str) -> int:
    return max(RESET_EMAIL.retry_after(email), RESET_ADDRESS.retry_after(client_address(request)))


def reset_requested(request, email: str) -> None:
    RESET_EMAIL.hit(email)
    RESET_ADDRESS.hit(client_address(request))


def token_retry_after(request) -> int:
    return TOKEN_ADDRESS.retry_after(client_address(request))


def token_failed(request) -> None:
    TOKEN_ADDRESS.hit(client_address(request))
