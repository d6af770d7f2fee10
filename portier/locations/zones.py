"""The time zones a location may choose from: the canonical IANA zones, grouped by region.

`zoneinfo.available_timezones()` also holds ~200 legacy and backward names (`US/Eastern`,
`Asia/Calcutta`, `Europe/Kiev`), the `Etc/GMT+5` family, `Factory` and a system's
`localtime`. A person picks from the tz database's own list instead: `zone.tab`, one line per
country and zone, every name in `Area/City` form (about 400), plus UTC. The list comes from the
`tzdata` package, so it is the same on every system; only names this system can load are kept.
"""

import functools
import zoneinfo
from importlib import resources

UTC = "UTC"
REGIONS = (
    "Africa",
    "America",
    "Antarctica",
    "Arctic",
    "Asia",
    "Atlantic",
    "Australia",
    "Europe",
    "Indian",
    "Pacific",
)


def _tzdata_file(name: str) -> str:
    return (resources.files("tzdata.zoneinfo") / name).read_text(encoding="utf-8")


@functools.cache
def canonical_zones() -> tuple[str, ...]:
    loadable = zoneinfo.available_timezones()
    names = set()
    for line in _tzdata_file("zone.tab").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        name = line.split("\t")[2]
        if name.split("/", 1)[0] in REGIONS and name in loadable:
            names.add(name)
    return (UTC, *sorted(names))


@functools.cache
def zone_aliases() -> dict[str, str]:
    """Old name -> canonical name (`Asia/Calcutta` -> `Asia/Kolkata`): some browsers still
    report the old one."""
    canonical = set(canonical_zones())
    aliases = {}
    for line in _tzdata_file("tzdata.zi").splitlines():
        if line.startswith("L "):
            _l, target, alias = line.split()
            if alias not in canonical and target in canonical:
                aliases[alias] = target
    aliases.update({"Etc/UTC": UTC, "Etc/Universal": UTC, "Universal": UTC, "Zulu": UTC})
    return aliases


def _label(name: str) -> str:
    return name.split("/", 1)[1].replace("_", " ").replace("/", " / ")


def time_zone_choices(current: str = "") -> list:
    """UTC, then one group per region (`America`: `Argentina / Buenos Aires`, …). A location
    that already has another valid zone keeps it, listed apart."""
    zones = canonical_zones()
    choices: list = [(UTC, UTC)]
    for region in REGIONS:
        group = [(z, _label(z)) for z in zones if z.startswith(region + "/")]
        if group:
            choices.append((region, group))
    if current and current not in zones:
        choices.append((current, current))
    return choices
