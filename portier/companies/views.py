from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portier.accounts.models import ApiToken
from portier.companies import services
from portier.companies.forms import CompanyForm, InviteForm, RoleForm
from portier.companies.models import AuditEntry, Membership
from portier.companies.tenancy import admin_required
from portier.integrations.models import Connection
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
        try:
            services.invite_colleague(
                company=request.company, invited_by=request.user, **form.cleaned_data
            )
        except DomainError as exc:
            form.add_error("email" if exc.field == "email" else None, exc.message)
        else:
            # The same words whether or not the address is in use elsewhere (see the service).
            messages.success(
                request,
                _(
                    "An invitation to join %(company)s is on its way to %(email)s, unless "
                    "that address already has a Portier account."
                )
                % {
                    "company": request.company.name,
                    "email": form.cleaned_data["email"].strip().lower(),
                },
            )
            return redirect("companies:users")
    return render(
        request,
        "companies/users.html",
        {
            "memberships": memberships,
            "form": form,
            "role_form": RoleForm(company=request.company),
            "audit_entries": AuditEntry.objects.for_company(request.company)[:10],
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
        saved = run_service(
            form, lambda: services.update_company(company=company, **form.cleaned_data)
        )
        if saved:
            messages.success(request, _("Company settings saved."))
            return redirect("companies:settings")
    return render(request, "companies/settings.html", {"form": form})


@admin_required
def user_deactivate(request, pk):
    """GET asks (saying what will happen), POST does it."""
    membership = get_object_or_404(
        Membership.objects.for_company(request.company).select_related("user"), pk=pk
    )
    if request.method == "POST":
        try:
            services.deactivate_member(membership=membership, actor=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("%(email)s is deactivated.") % {"email": membership.user.email},
            )
        return redirect("companies:users")
    user = membership.user
    context = {
        "membership": membership,
        "connections": Connection.objects.filter(user=user).active().count(),
        "tokens": ApiToken.objects.for_user(user).count(),
    }
    return render(request, "companies/user_deactivate.html", context)


@admin_required
@require_POST
def user_reactivate(request, pk):
    membership = get_object_or_404(
        Membership.objects.for_company(request.company).select_related("user"), pk=pk
    )
    services.reactivate_member(membership=membership, actor=request.user)
    messages.success(request, _("%(email)s is active again.") % {"email": membership.user.email})
    return redirect("companies:users")
