"""Rows that nobody reads before the commit, written in one statement per kind at the end of a
unit of work instead of one per row.

A sync's page opens `deferred()` inside its transaction; the services hand such rows (an
appointment's versions, hosts' contacts, sync-log lines) to `defer`, which writes at once when
no unit is open (a web request, a task). At the unit's end each kind's rows are written in the
order they came, still inside the transaction; when the unit raises, nothing is written (the
transaction rolls back anyway). Defer a row only after the statements that may fail inside a
savepoint the caller catches: a rolled-back savepoint does not take the waiting rows with it.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

Flush = Callable[[list[Any]], None]
_waiting: ContextVar[dict[Flush, list[Any]] | None] = ContextVar("deferred_rows", default=None)


def defer(flush: Flush, item: Any) -> None:
    """`flush([item])` now, or with the other items of its kind at the end of the unit."""
    waiting = _waiting.get()
    if waiting is None:
        flush([item])
    else:
        waiting.setdefault(flush, []).append(item)


def waiting(flush: Flush) -> list[Any]:
    """The items of this kind the open unit has not written yet, oldest first."""
    return (_waiting.get() or {}).get(flush, [])


@contextmanager
def deferred() -> Iterator[None]:
    waiting: dict[Flush, list[Any]] = {}
    token = _waiting.set(waiting)
    try:
        yield
    finally:
        _waiting.reset(token)
    for flush, items in waiting.items():
        flush(items)
