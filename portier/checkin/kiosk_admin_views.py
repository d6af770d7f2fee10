"""Admins create and revoke a location's kiosks (the link is shown once, when created)."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from portier.checkin import kiosks
from portier.checkin.models import Kiosk
from portier.companies.tenancy import admin_required
from portier.lib.forms import run_service
from portier.locations.models import Location


class KioskForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("Where it stands, for example “Entrance tablet”."),
    )


def _location(request, pk) -> Location:
    return get_object_or_404(Location.objects.for_company(request.company), pk=pk)


@never_cache
@admin_required
def kiosk_list(request, pk):
    location = _location(request, pk)
    form = KioskForm(request.POST or None)
    link = None
    if request.method == "POST" and form.is_valid():
        created = run_service(
            form,
            lambda: kiosks.create_kiosk(
                location=location, name=form.cleaned_data["name"], by=request.user
            ),
        )
        if created is not None:
            kiosk, secret = created
            link = kiosks.kiosk_url(secret)
            form = KioskForm()
    return render(
        request,
        "checkin/kiosk_list.html",
        {
            "location": location,
            "kiosks": Kiosk.objects.for_company(request.company).filter(location=location),
            "form": form,
            "link": link,
        },
    )


@admin_required
@require_POST
def kiosk_revoke(request, pk, kiosk_id):
    location = _location(request, pk)
    kiosk = get_object_or_404(
        Kiosk.objects.for_company(request.company), pk=kiosk_id, location=location
    )
    kiosks.revoke_kiosk(kiosk=kiosk)
    messages.success(
        request, _("Kiosk %(name)s revoked: its link no longer works.") % {"name": kiosk.name}
    )
    return redirect("checkin:kiosks", pk=location.pk)
