"""GET /api/v1/visitor-log?location_id=N&from=YYYY-MM-DD&to=YYYY-MM-DD (reception, admins)."""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Query, Router, Schema
from pydantic import Field

from portier.checkin import visitor_log
from portier.checkin.access import front_desk_locations, is_front_desk_user
from portier.locations.models import Location

router = Router(tags=["visitor log"])


class LogFilter(Schema):
    location_id: int | None = None
    start: date | None = Field(None, alias="from")
    end: date | None = Field(None, alias="to")


class LogEntryOut(Schema):
    visit_id: int
    guest_id: int | None
    erased: bool
    name: str
    email: str
    company: str
    host: str
    location_id: int
    location: str
    arrival: datetime
    departure: datetime | None
    left_without_checkout: bool


class LogOut(Schema):
    start: date
    end: date
    entries: list[LogEntryOut]


@router.get("", response=LogOut)
def get_visitor_log(request, filters: Query[LogFilter]):
    location = None
    if filters.location_id is not None:
        location = Location.objects.for_company(request.company).filter(pk=filters.location_id)
        location = location.first()
        if location is None:
            raise Http404
    if not is_front_desk_user(request.user):
        raise PermissionDenied
    if location is not None and not front_desk_locations(request.user).filter(pk=location.pk):
        raise PermissionDenied
    today = visitor_log.local_today(
        [location] if location is not None else front_desk_locations(request.user)
    )
    period = visitor_log.Period.of(filters.start, filters.end, today=today)
    rows = visitor_log.entries(
        visitor_log.visits(user=request.user, period=period, location=location)
    )
    return {
        "start": period.start,
        "end": period.end,
        "entries": [
            {
                "visit_id": row.visit.pk,
                "guest_id": None if row.erased else row.visit.guest_id,
                "erased": row.erased,
                "name": row.name,
                "email": row.email,
                "company": row.company,
                "host": row.host,
                "location_id": row.visit.location_id,
                "location": row.location,
                "arrival": row.arrival,
                "departure": row.departure,
                "left_without_checkout": row.left_without_checkout,
            }
            for row in rows
        ],
    }
