"""The visitor log: who was on site when (arrival, departure, host, location), for reception
and admins; as a page, a CSV file and `GET /api/v1/visitor-log`.

Days are the location's own: "from 3 March to 5 March" at a Berlin location means arrivals from
3 March 00:00 to 6 March 00:00 Berlin time. Erased guests (retention) stay in the log with their
times and host, shown as "erased".
"""

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from portier.checkin.access import front_desk_locations
from portier.checkin.models import Visit
from portier.lib.errors import DomainError

MAX_DAYS = 366
DEFAULT_DAYS = 7
CSV_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


class LogRefused(DomainError):
    pass


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    @classmethod
    def of(cls, start: date | None, end: date | None, *, today: date) -> "Period":
        end = end or (today if start is None else max(start, today))
        start = start or end - timedelta(days=DEFAULT_DAYS - 1)
        if end < start:
            raise LogRefused(_("The end date is before the start date."), field="to")
        if (end - start).days >= MAX_DAYS:
            raise LogRefused(
                _("Choose at most %(days)s days at a time.") % {"days": MAX_DAYS}, field="from"
            )
        return cls(start, end)

    def bounds(self, zone) -> tuple[datetime, datetime]:
        return (
            datetime.combine(self.start, time(0), zone),
            datetime.combine(self.end + timedelta(days=1), time(0), zone),
        )


def local_today(locations, now=None) -> date:
    """Today by the clock of the location furthest ahead (a default period must include a
    visit that already happened "today" somewhere)."""
    now = now or timezone.now()
    days = [timezone.localtime(now, loc.zone).date() for loc in locations]
    return max(days, default=timezone.localdate(now))


def visits(*, user, period: Period, location=None):
    """Visits at the user's front-desk locations (or at `location`, one of them) whose arrival
    falls in the period, oldest first."""
    locations = list(front_desk_locations(user))
    if location is not None:
        locations = [loc for loc in locations if loc.pk == location.pk]
    if not locations:
        return Visit.objects.none()
    window = Q()
    for loc in locations:
        start, end = period.bounds(loc.zone)
        window |= Q(location=loc, checked_in_at__gte=start, checked_in_at__lt=end)
    return (
        Visit.objects.filter(window)
        .select_related("guest__appointment__host", "location")
        .order_by("checked_in_at", "pk")
    )


@dataclass(frozen=True)
class Entry:
    visit: Visit
    erased: bool
    name: str
    email: str
    company: str
    host: str
    location: str
    arrival: datetime
    departure: datetime | None
    left_without_checkout: bool

    @classmethod
    def of(cls, visit: Visit) -> "Entry":
        guest = visit.guest
        host = guest.appointment.host
        erased = guest.erased_at is not None
        zone = visit.location.zone
        return cls(
            visit=visit,
            erased=erased,
            name="" if erased else guest.name,
            email="" if erased else guest.email,
            company="" if erased else guest.company_name,
            host=host.name or host.email,
            location=visit.location.name,
            arrival=timezone.localtime(visit.checked_in_at, zone),
            departure=timezone.localtime(visit.checked_out_at, zone)
            if visit.checked_out_at
            else None,
            left_without_checkout=visit.left_without_checkout,
        )


def entries(queryset) -> list[Entry]:
    return [Entry.of(visit) for visit in queryset]


def safe_cell(value) -> str:
    """A spreadsheet must not run a cell as a formula: prefix = + - @ (and tab, CR) with '."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(CSV_DANGEROUS) else text


def _stamp(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else ""


def to_csv(rows: list[Entry]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            _("Name"),
            _("E-mail"),
            _("Company"),
            _("Host"),
            _("Location"),
            _("Arrival"),
            _("Departure"),
            _("Note"),
        ]
    )
    for row in rows:
        note = ""
        if row.erased:
            note = _("erased")
        elif row.left_without_checkout:
            note = _("left without check-out")
        elif row.departure is None:
            note = _("on site")
        writer.writerow(
            [
                safe_cell(_("erased") if row.erased else row.name),
                safe_cell(row.email),
                safe_cell(row.company),
                safe_cell(row.host),
                safe_cell(row.location),
                _stamp(row.arrival),
                _stamp(row.departure),
                note,
            ]
        )
    return out.getvalue()
