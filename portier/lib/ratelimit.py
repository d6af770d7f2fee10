"""A client-side request budget: at most N requests per second per key, shared through the
cache (Redis when REDIS_URL is set, so all workers share it; else per process)."""

import time

from django.core.cache import cache


def acquire(key: str, per_second: int, *, max_wait: float = 30.0) -> None:
    """Block until a request under `key` fits this second's budget (0 = unlimited)."""
    if per_second <= 0:
        return
    deadline = time.monotonic() + max_wait
    while True:
        window = int(time.time())
        slot = f"rl:{key}:{window}"
        cache.add(slot, 0, timeout=5)
        try:
            used = cache.incr(slot)
        except ValueError:  # expired between add and incr
            continue
        if used <= per_second or time.monotonic() > deadline:
            return
        time.sleep(max(0.001, window + 1 - time.time()))
