"""Windows time-zone names (Outlook's) to IANA names, deterministically, from CLDR's table
(as icalendar ships it). A name we cannot map fails closed: the event is skipped with a reason."""

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

# Outlook's own markers: a zone made from an iCalendar VTIMEZONE it could not name, and UTC.
CUSTOM = "tzone://Microsoft/Custom"
ALIASES = {"tzone://Microsoft/Utc": "UTC", "UTC": "UTC", "Etc/UTC": "UTC"}


class UnknownZone(ValueError):
    pass


def iana_name(name: str) -> str:
    """The IANA name for a Windows or IANA zone name; "" for Outlook's custom zone (whose
    instants come in UTC anyway). Raises UnknownZone for anything else."""
    if not name or name == CUSTOM:
        return ""
    if name in ALIASES:
        return ALIASES[name]
    if name in WINDOWS_TO_OLSON:
        return WINDOWS_TO_OLSON[name]
    if "/" in name and name in _iana_names():
        return name
    raise UnknownZone(f"unknown time zone {name!r}")


def zone_info(name: str) -> ZoneInfo:
    iana = iana_name(name) or "UTC"
    try:
        return ZoneInfo(iana)
    except ZoneInfoNotFoundError as exc:
        raise UnknownZone(f"unknown time zone {name!r}") from exc


_WINDOWS = {iana: name for name, iana in reversed(list(WINDOWS_TO_OLSON.items()))}


def windows_name(iana: str) -> str:
    """The Windows name Outlook keeps for an IANA zone (CLDR's first match; UTC if none)."""
    return _WINDOWS.get(iana, "UTC")


_cache: set[str] = set()


def _iana_names() -> set[str]:
    if not _cache:
        _cache.update(available_timezones())
    return _cache
