"""The front desk: today's guests at one location, in the location's time zone."""

from django.shortcuts import redirect, render
from django.utils import timezone

from portier.checkin.access import desk_location, front_desk_locations, front_desk_required
from portier.visits.models import Guest


@front_desk_required
def front_desk_index(request):
    """The user's primary location, or a choice when there is none."""
    locations = front_desk_locations(request.user)
    primary = request.user.primary_location
    if primary is not None and locations.filter(pk=primary.pk).exists():
        return redirect("checkin:front_desk", primary.pk)
    if len(locations) == 1:
        return redirect("checkin:front_desk", locations[0].pk)
    return render(request, "checkin/front_desk_index.html", {"locations": locations})


@front_desk_required
def front_desk(request, location_id):
    location = desk_location(request, location_id)
    day = timezone.localdate(timezone=location.zone)
    context = {
        "location": location,
        "day": day,
        "guests": list(Guest.objects.expected_at(location, day)),
        "now": timezone.now(),
        "locations": front_desk_locations(request.user),
    }
    if request.headers.get("HX-Request"):
        return render(request, "checkin/_front_desk_rows.html", context)
    return render(request, "checkin/front_desk.html", context)
