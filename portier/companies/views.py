from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portier.companies import services
from portier.companies.forms import CompanyForm, InviteForm, RoleForm
from portier.companies.models import Membership
from portier.companies.tenancy import admin_required
from portier.lib.errors import DomainError
from portier.lib.forms import run_service


@admin_required
def user_list(request):
    memberships = (
        Membership.objects.for_company(request.company)
        .select_related("user", "user__primary_location")
        .prefetch_related("locations")
        .order_by("user__email")
    )
    form = InviteForm(request.POST or None, company=request.company)
    if request.method == "POST" and form.is_valid():
        user = run_service(
            form,
            lambda: services.invite_colleague(
                company=request.company, invited_by=request.user, **form.cleaned_data
            ),
        )
        if user:
            messages.success(request, _("%(email)s was invited by e-mail.") % {"email": user.email})
            return redirect("companies:users")
    return render(
        request,
        "companies/users.html",
        {
            "memberships": memberships,
            "form": form,
            "role_form": RoleForm(company=request.company),
        },
    )


@admin_required
@require_POST
def user_role(request, pk):
    membership = get_object_or_404(Membership.objects.for_company(request.company), pk=pk)
    form = RoleForm(request.POST, company=request.company)
    if form.is_valid():
        try:
            services.change_role(
                membership=membership,
                role=form.cleaned_data["role"],
                locations=form.cleaned_data["locations"]
                if "locations-shown" in request.POST
                else None,
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Role changed."))
    return redirect("companies:users")


@admin_required
def company_settings(request):
    company = request.company
    initial = {
        "name": company.name,
        "language": company.language,
        "internal_domains": ", ".join(company.internal_domains),
    }
    form = CompanyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.update_company(company=company, **form.cleaned_data)
        messages.success(request, _("Company settings saved."))
        return redirect("companies:settings")
    return render(request, "companies/settings.html", {"form": form})
