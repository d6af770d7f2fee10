"""/api/v1/check-ins, /check-outs, /on-site: the front desk for reception apps and integrations.

Tokens of reception or admin users only (hosts: 403); a location or code of another company is
404. A code for another location or day, or outside the check-in window, answers 409 with a
`detail` sentence that says where and when the visit is. Checking in twice answers 200 with the
first check-in (201 the first time); the host is told once.
"""

from datetime import datetime

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from portier.checkin import services, states
from portier.checkin.access import can_work_front_desk, is_front_desk_user
from portier.checkin.models import Via, Visit
from portier.locations.models import Location

check_ins = Router(tags=["front desk"])
check_outs = Router(tags=["front desk"])
on_site = Router(tags=["front desk"])


class GuestBrief(Schema):
    id: int
    name: str
    email: str
    company: str


class VisitOut(Schema):
    guest: GuestBrief
    appointment_id: int
    location_id: int
    state: str
    checked_in_at: datetime
    checked_out_at: datetime | None
    left_without_checkout: bool


class Detail(Schema):
    detail: str


class CheckInIn(Schema):
    code: str = Field(max_length=400, description="The check-in code, or the QR code's text.")
    location_id: int


class CheckOutIn(Schema):
    code: str = Field(max_length=400)


class OnSiteQuery(Schema):
    location_id: int


def visit_out(visit: Visit) -> dict:
    guest = visit.guest
    return {
        "guest": {
            "id": guest.pk,
            "name": guest.name,
            "email": guest.email,
            "company": guest.company_name,
        },
        "appointment_id": guest.appointment_id,
        "location_id": visit.location_id,
        "state": states.visit_state(guest),
        "checked_in_at": visit.checked_in_at,
        "checked_out_at": visit.checked_out_at,
        "left_without_checkout": visit.left_without_checkout,
    }


def _refusal(request, location=None) -> Status | None:
    """403 unless the token's user works the front desk (of this location)."""
    if not is_front_desk_user(request.user):
        return Status(403, {"detail": _("Only reception and admins may work the front desk.")})
    if location is not None and not can_work_front_desk(request.user, location):
        return Status(
            403,
            {
                "detail": _("You do not work the front desk of %(location)s.")
                % {"location": location.name}
            },
        )
    return None


def _location(request, location_id) -> Location:
    return get_object_or_404(Location.objects.for_company(request.company), pk=location_id)


@check_ins.post("", response={200: VisitOut, 201: VisitOut, 403: Detail, 404: Detail, 409: Detail})
def check_in(request, payload: CheckInIn):
    """Check a guest in at a location by code (or the QR code's text)."""
    location = _location(request, payload.location_id)
    refused = _refusal(request, location)
    if refused:
        return refused
    try:
        guest = services.find_guest(request.company, payload.code)
    except services.UnknownCode as exc:
        return Status(404, {"detail": str(exc.message)})
    try:
        visit, new = services.check_in(guest, location=location, via=Via.API, by=request.user)
    except services.CheckInRefused as exc:
        return Status(409, {"detail": str(exc.message)})
    return Status(201 if new else 200, visit_out(visit))


@check_outs.post("", response={200: VisitOut, 403: Detail, 404: Detail, 409: Detail})
def check_out(request, payload: CheckOutIn):
    """Check a guest out by code; checking out twice keeps the first time."""
    refused = _refusal(request)
    if refused:
        return refused
    try:
        guest = services.find_guest(request.company, payload.code)
    except services.UnknownCode as exc:
        return Status(404, {"detail": str(exc.message)})
    visit = Visit.objects.filter(guest=guest).select_related("location").first()
    if visit is not None:
        refused = _refusal(request, visit.location)
        if refused:
            return refused
    try:
        visit = services.check_out(guest, via=Via.API, by=request.user)
    except services.CheckInRefused as exc:
        return Status(409, {"detail": str(exc.message)})
    return Status(200, visit_out(visit))


@on_site.get("", response={200: list[VisitOut], 403: Detail, 404: Detail})
def on_site_now(request, query: Query[OnSiteQuery]):
    """Everybody checked in at the location and not out: the evacuation list (not paged)."""
    location = _location(request, query.location_id)
    refused = _refusal(request, location)
    if refused:
        return refused
    return Status(200, [visit_out(v) for v in Visit.objects.on_site(location)])
