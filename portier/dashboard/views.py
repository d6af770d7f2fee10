from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from portier.companies.tenancy import member_required

# What Portier can connect to; each later gets its own integration module.
PROVIDERS = [
    {"slug": "google", "name": _("Google Calendar")},
    {"slug": "microsoft", "name": _("Microsoft Outlook")},
]


@member_required
def home(request):
    user = request.user
    steps = [
        {"done": user.primary_location_id is not None, "text": _("Set your primary location")},
        {"done": False, "text": _("Connect your calendar")},
        {"done": False, "text": _("Add the invitation address to an event")},
    ]
    return render(request, "dashboard/home.html", {"steps": steps})


@member_required
def appointments(request):
    return render(request, "dashboard/appointments.html")


@member_required
def integrations(request):
    providers = [{**p, "status": _("not connected")} for p in PROVIDERS]
    return render(
        request,
        "dashboard/integrations.html",
        {
            "providers": providers,
            "needs_primary_location": request.user.primary_location_id is None,
        },
    )
