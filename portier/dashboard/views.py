from django.shortcuts import render
from django.utils import timezone

from portier.checkin import today
from portier.checkin.access import is_front_desk_user
from portier.companies.tenancy import member_required
from portier.dashboard.steps import get_started_steps


@member_required
def home(request):
    """The get-started checklist until it is done; then the visitors of today and the next
    days (reception: expected and on site at their locations)."""
    user = request.user
    reception = request.membership.is_reception
    steps = get_started_steps(user)
    if not reception and not all(step["done"] for step in steps):
        return render(request, "dashboard/home.html", {"steps": steps})
    zone = user.primary_location.zone if user.primary_location else timezone.get_current_timezone()
    return render(
        request,
        "dashboard/today.html",
        {
            "desks": today.desks(user) if reception else [],
            "show_own": not reception or user.hosted_appointments.exists(),
            "days": today.host_days(user),
            "today": timezone.localdate(timezone=zone),
            "can_read_log": is_front_desk_user(user),
        },
    )
