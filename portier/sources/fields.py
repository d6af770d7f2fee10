"""Reading a provider's JSON strictly: a field of the wrong type is unreadable data (the event
then carries a problem the host sees in the sync log), never text to guess at or a crash later
in the engine. Shared by the sources' parsers; pure functions."""

from datetime import date, datetime
from typing import TypeVar

# Far from datetime's limits, so the engine's arithmetic (a day more, UTC) cannot overflow.
FIRST_YEAR, LAST_YEAR = 1000, 8999
When = TypeVar("When", date, datetime)


def text(raw: dict, key: str) -> str:
    """A string field, "" when absent or null."""
    value = raw.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError(f"{key} is not text")
    return value


def obj(raw: dict, key: str) -> dict:
    """An object field, {} when absent or null."""
    value = raw.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValueError(f"{key} is not an object")
    return value


def items(raw: dict, key: str) -> list:
    """A list field, [] when absent or null."""
    value = raw.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise ValueError(f"{key} is not a list")
    return value


def in_range(value: When) -> When:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError("a time out of range")
    return value
