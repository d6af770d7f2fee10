"""Small facts about addresses."""

import ipaddress

LOCALHOST_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


def is_loopback(host: str | None) -> bool:
    """Whether ``host`` (a name or an IP, IPv6 with or without brackets) is this computer only."""
    host = (host or "").strip("[]").lower()
    if host in LOCALHOST_NAMES or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
