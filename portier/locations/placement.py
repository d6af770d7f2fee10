"""Where a synced event takes place: the location code in the event, and the host's e-mail when
that code is wrong. The rules for reading a code are in codes.py and docs/location-codes.md."""

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone, translation

from portier.companies.models import Membership, Role
from portier.lib import dates
from portier.locations.codes import CodeMatch, find_code
from portier.locations.models import Location

# The e-mail to the host: emails/invalid-location-code-{subject,body}.txt and -body.html.
INVALID_CODE_MAIL = "invalid-location-code"


@dataclass(frozen=True)
class Resolution:
    """location set: the event's code names it. invalid: a wrong code (hold the appointment).
    Neither: no code in the event; the caller uses the connection's integration location."""

    location: Location | None
    code: str | None
    invalid: bool = False
    match: CodeMatch | None = None


def coded_locations(company) -> dict[str, Location]:
    """The company's locations that have a code, by code."""
    return {
        location.code.upper(): location
        for location in Location.objects.for_company(company).with_code()
    }


def resolve_location(
    company, location_text: str | None, title: str | None, by_code=None
) -> Resolution:
    """Read the code in an event against this company's codes (and no other company's).
    `by_code`: `coded_locations(company)` when the caller read it once for many events."""
    by_code = coded_locations(company) if by_code is None else by_code
    match = find_code(location_text, title, by_code.keys())
    if match is None:
        return Resolution(location=None, code=None)
    if match.known:
        return Resolution(location=by_code[match.code], code=match.code, match=match)
    return Resolution(location=None, code=match.code, invalid=True, match=match)


def one_line(address: str) -> str:
    return ", ".join(line.strip() for line in address.splitlines() if line.strip())


def format_start(event_start: dt.datetime | dt.date, time_zone: str) -> str:
    """In the active language: "Thu, 12 Mar 2025, 10:00 (Europe/Berlin)" or, all-day, a date."""
    if not isinstance(event_start, dt.datetime):
        return dates.date(event_start)
    local = timezone.localtime(event_start, zoneinfo.ZoneInfo(time_zone))
    return f"{dates.date_time(local)} ({time_zone})"


def invalid_code_mail_context(
    company,
    host,
    event_title: str,
    event_start: dt.datetime | dt.date,
    code: str,
    *,
    time_zone: str | None = None,
    link: str = "",
) -> dict:
    """Context for render_mail(INVALID_CODE_MAIL, context, context["language"]): plain strings,
    lists and dicts only, so an outbox row can store it as JSON.

    event_start: an aware datetime, shown in time_zone (default: the zone of the host's primary
    location, else TIME_ZONE), or a date for an all-day event. It is formatted here, in the host's
    language (host.language, else the company's). link: optional, e.g. the appointment's page.
    """
    language = host.mail_language(company) if host is not None else company.language
    if time_zone is None:
        primary = getattr(host, "primary_location", None)
        time_zone = primary.time_zone if primary else settings.TIME_ZONE
    with translation.override(language):
        when = format_start(event_start, time_zone)
    codes = [
        {"code": location.code, "name": location.name, "address": one_line(location.address)}
        for location in Location.objects.for_company(company).with_code().order_by("code")
    ]
    admins = [
        {"name": membership.user.name or membership.user.email, "email": membership.user.email}
        for membership in Membership.objects.for_company(company)
        .filter(role=Role.ADMIN, user__is_active=True)
        .select_related("user")
        .order_by("user__name", "user__email")
    ]
    return {
        "language": language,
        "company_name": company.name,
        "host_name": host.name or host.email,
        "event_title": " ".join((event_title or "").split()),
        "event_start": when,
        "code": code,
        "codes": codes,
        "admins": admins,
        "link": link,
    }
