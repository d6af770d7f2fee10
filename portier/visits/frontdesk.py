"""The front desk: today's expected guests at one location, in the location's time zone."""

from datetime import datetime, time, timedelta

from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from portier.companies.tenancy import member_required
from portier.locations.models import Location
from portier.visits.limits import FRONT_DESK_PAGE_SIZE
from portier.visits.models import AppointmentStatus, Guest


def expected_guests(location, *, day):
    """Guests (not colleagues) of the location's active, placed appointments on `day`."""
    zone = location.zone
    start = datetime.combine(day, time(0), zone)
    end = datetime.combine(day + timedelta(days=1), time(0), zone)
    return (
        Guest.objects.invitable()
        .filter(
            appointment__location=location,
            appointment__status=AppointmentStatus.ACTIVE,
            appointment__held_code="",
        )
        .filter(
            Q(
                appointment__all_day=False,
                appointment__starts_at__lt=end,
                appointment__ends_at__gt=start,
            )
            | Q(
                appointment__all_day=True,
                appointment__start_date__lte=day,
                appointment__end_date__gt=day,
            )
        )
        .select_related("appointment__host", "appointment__location")
        .order_by("appointment__starts_at", "name", "email")
    )


@member_required
def front_desk_index(request):
    """The user's primary location, or a choice when there is none."""
    locations = Location.objects.for_company(request.company)
    primary = request.user.primary_location
    if primary is not None and primary.company_id == request.company.pk:
        return redirect("visits:front_desk", primary.pk)
    if len(locations) == 1:
        return redirect("visits:front_desk", locations[0].pk)
    return render(request, "visits/front_desk_index.html", {"locations": locations})


@member_required
def front_desk(request, location_id):
    location = get_object_or_404(Location.objects.for_company(request.company), pk=location_id)
    day = timezone.localdate(timezone=location.zone)
    # A page past the end (or not a number) gives the last (or the first) page.
    page = Paginator(expected_guests(location, day=day), FRONT_DESK_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "location": location,
        "day": day,
        "guests": list(page.object_list),
        "page": page,
        "now": timezone.now(),
        "locations": Location.objects.for_company(request.company),
    }
    if request.headers.get("HX-Request"):
        return render(request, "visits/_front_desk_rows.html", context)
    return render(request, "visits/front_desk.html", context)
