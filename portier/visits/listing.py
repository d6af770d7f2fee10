"""The appointments list: filters, upcoming-then-past paging, and what each row shows.

A page costs the same few queries whatever its length: a count, one or two slices (with
location and host joined), the page's guests, the page's outbox rows.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from math import ceil

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models import prefetch_related_objects as prefetch

from portier.visits.limits import DB_INT_MAX
from portier.visits.models import Appointment, AppointmentStatus, Guest
from portier.visits.statuses import Summary, summaries

PER_PAGE = 50


def filtered(queryset: QuerySet, *, q="", location=None, date=None, zone=None) -> QuerySet:
    """q: title or guest (name or e-mail); date: appointments on that day at the location
    (all-day ones by their dates), in `zone` (the location's, else the user's)."""
    if location is not None:
        queryset = queryset.filter(location=location)
        zone = location.zone
    if date is not None:
        start = datetime.combine(date, time(0), zone)
        end = datetime.combine(date + timedelta(days=1), time(0), zone)
        # The instants bound both kinds (an all-day one spans midnight to midnight at the
        # location), so an index narrows the rows before the exact test.
        queryset = queryset.filter(starts_at__lt=end, ends_at__gt=start).filter(
            Q(all_day=False) | Q(start_date__lte=date, end_date__gt=date)
        )
    q = (q or "").strip()
    if q:
        guests = Guest.objects.filter(appointment=OuterRef("pk"), removed_at__isnull=True).filter(
            Q(email__icontains=q) | Q(name__icontains=q)
        )
        queryset = queryset.filter(Q(title__icontains=q) | Exists(guests))
    return queryset


@dataclass
class Row:
    appointment: Appointment
    summary: Summary
    past: bool


@dataclass
class Page:
    rows: list[Row]
    number: int
    upcoming: int  # how many upcoming appointments match, on all pages (paging counts these)
    has_next: bool
    upcoming_active: int = 0  # of those, the ones not cancelled (what the page says)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def first_past(self) -> int | None:
        """Index of the first past row, where the page shows the "Past" heading."""
        return next((i for i, r in enumerate(self.rows) if r.past), None)


def _base(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("location", "host")


def page_of(queryset: QuerySet, *, now: datetime, number: int = 1, per_page=PER_PAGE) -> Page:
    """Upcoming (not yet ended) soonest first, then past ones latest first. A number past the
    end gives the last page (numbers no database offset could hold included)."""
    number = min(max(1, number), (DB_INT_MAX - 1) // per_page)
    upcoming_qs = _base(queryset.filter(ends_at__gt=now)).order_by("starts_at", "pk")
    past_qs = _base(queryset.filter(ends_at__lte=now)).order_by("-starts_at", "-pk")
    counts = upcoming_qs.order_by().aggregate(
        all=Count("pk"), active=Count("pk", filter=Q(status=AppointmentStatus.ACTIVE))
    )
    upcoming = counts["all"]
    offset = (number - 1) * per_page
    items = list(upcoming_qs[offset : offset + per_page]) if offset < upcoming else []
    past_items = []
    if len(items) < per_page:
        past_offset = max(0, offset - upcoming)
        # One more than fits tells whether there is a next page.
        past_items = list(past_qs[past_offset : past_offset + per_page - len(items) + 1])
        has_next = len(items) + len(past_items) > per_page
        past_items = past_items[: per_page - len(items)]
    else:
        has_next = offset + per_page < upcoming or past_qs.exists()
    appointments = items + past_items
    if not appointments and number > 1:
        last = max(1, ceil((upcoming + past_qs.count()) / per_page))
        if last < number:
            return page_of(queryset, now=now, number=last, per_page=per_page)
    prefetch(
        appointments,
        Prefetch("guests", queryset=Guest.objects.filter(removed_at__isnull=True)),
    )
    found = summaries(appointments)
    rows = [Row(a, found[a.pk], past=a.ends_at <= now) for a in appointments]
    return Page(
        rows=rows,
        number=number,
        upcoming=upcoming,
        has_next=has_next,
        upcoming_active=counts["active"],
    )
