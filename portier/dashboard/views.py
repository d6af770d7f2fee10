from django.shortcuts import render

from portier.companies.tenancy import member_required
from portier.dashboard.steps import get_started_steps


@member_required
def home(request):
    return render(request, "dashboard/home.html", {"steps": get_started_steps(request.user)})
