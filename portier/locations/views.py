from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portier.companies.tenancy import admin_required
from portier.lib.errors import DomainError
from portier.lib.forms import run_service
from portier.locations import services
from portier.locations.forms import LocationForm
from portier.locations.models import Location


@admin_required
def location_list(request):
    locations = Location.objects.for_company(request.company)
    return render(request, "locations/list.html", {"locations": locations})


@admin_required
def location_create(request):
    form = LocationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        location = run_service(
            form, lambda: services.create_location(company=request.company, **form.cleaned_data)
        )
        if location:
            messages.success(request, _("Location %(name)s created.") % {"name": location.name})
            return redirect("locations:list")
    return render(request, "locations/form.html", {"form": form, "location": None})


@admin_required
def location_edit(request, pk):
    location = get_object_or_404(Location.objects.for_company(request.company), pk=pk)
    form = LocationForm(request.POST or None, instance=location)
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            form, lambda: services.update_location(location=location, **form.cleaned_data)
        )
        if saved:
            messages.success(request, _("Location %(name)s saved.") % {"name": saved.name})
            return redirect("locations:list")
    return render(request, "locations/form.html", {"form": form, "location": location})


@admin_required
@require_POST
def location_delete(request, pk):
    location = get_object_or_404(Location.objects.for_company(request.company), pk=pk)
    try:
        services.delete_location(location=location)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Location %(name)s deleted.") % {"name": location.name})
    return redirect("locations:list")
