"""A worker killed for real: the work runs in a forked child that gets SIGKILL.

The moment is one the parent can see: the SMTP sink saw MAIL FROM (a row is claimed, nothing
sent yet) or kept a message (sent, not yet marked: the sender never hears "250"), the Google
fake holds the n-th request of a sync (earlier pages are committed, the cursor is not), or a
random delay. A hook that fires blocks until the child is dead, so the child cannot go on.
"""

import contextlib
import os
import signal
import threading
import time

from tests.simulation import adapter


class Trigger:
    """Set by a hook (in a server thread of the parent); the hook waits until the kill."""

    def __init__(self):
        self.fired = threading.Event()
        self.done = threading.Event()
        self.armed = True

    def __call__(self, *_args) -> None:
        if not self.armed:
            return
        self.armed = False
        self.fired.set()
        self.done.wait(5)


def run_killed(
    work,
    *,
    trigger: Trigger | None = None,
    after: float | None = None,
    poll=None,
    limit: float = 10.0,
) -> bool:
    """Run `work` in a forked child; SIGKILL it when `trigger` fires, `poll()` turns true or
    `after` seconds passed. Returns whether it was killed (False: it finished first)."""
    adapter.close_connections()
    pid = os.fork()
    if pid == 0:  # the worker
        code = 0
        try:
            work()
        except BaseException:  # noqa: BLE001 - a worker's crash is part of the story
            code = 1
        finally:
            os._exit(code)
    started = time.monotonic()
    killed = False
    try:
        while True:
            done, _status = os.waitpid(pid, os.WNOHANG)
            if done:
                return killed
            now = time.monotonic() - started
            if (
                (trigger is not None and trigger.fired.is_set())
                or (after is not None and now >= after)
                or (poll is not None and poll())
                or now > limit
            ):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
                killed = True
                os.waitpid(pid, 0)
                return killed
            time.sleep(0.001)
    finally:
        if trigger is not None:
            trigger.armed = False
            trigger.done.set()
