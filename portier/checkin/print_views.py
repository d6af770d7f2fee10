"""Printable pages of the front desk: everybody on site now (for an evacuation), and a
guest's badge."""

import segno
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import mark_safe

from portier.checkin import states
from portier.checkin.access import desk_location, front_desk_required
from portier.checkin.models import Visit
from portier.visits.models import Guest, GuestKind


@front_desk_required
def on_site(request, location_id):
    location = desk_location(request, location_id)
    visits = list(Visit.objects.on_site(location))
    return render(
        request,
        "checkin/on_site.html",
        {"location": location, "visits": visits, "now": timezone.now()},
    )


def _qr_svg(code: str) -> str:
    # segno writes the SVG itself: no outside text in it.
    return mark_safe(segno.make(code, error="m", micro=False).svg_inline(scale=4))  # noqa: S308


@front_desk_required
def badge(request, location_id, guest_id):
    """The badge of a checked-in guest of this location (A6 or a label, by the print CSS)."""
    location = desk_location(request, location_id)
    guest = (
        Guest.objects.filter(
            pk=guest_id,
            appointment__company=request.company,
            kind=GuestKind.GUEST,
            visit__location=location,
        )
        .select_related("appointment__host", "visit")
        .first()
    )
    if guest is None:
        raise Http404
    return render(
        request,
        "checkin/badge.html",
        {
            "location": location,
            "guest": guest,
            "visit": guest.visit,
            "state": states.visit_state(guest),
            "host": guest.appointment.host,
            "qr": _qr_svg(guest.check_in_code),
            "day": timezone.localdate(guest.visit.checked_in_at, location.zone),
        },
    )
