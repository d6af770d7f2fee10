from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from portier.companies.tenancy import member_required


@member_required
def home(request):
    user = request.user
    steps = [
        {"done": user.primary_location_id is not None, "text": _("Set your primary location")},
        {
            "done": user.connections.exclude(status="disconnected").exists(),
            "text": _("Connect your calendar"),
        },
        {"done": False, "text": _("Add the invitation address to an event")},
    ]
    return render(request, "dashboard/home.html", {"steps": steps})


@member_required
def appointments(request):
    return render(request, "dashboard/appointments.html")
