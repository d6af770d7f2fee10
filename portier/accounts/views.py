from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portier.accounts import services
from portier.accounts.forms import ProfileForm, TokenForm
from portier.accounts.models import ApiToken
from portier.companies.tenancy import member_required
from portier.lib.forms import run_service


@member_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user, company=request.company)
    if request.method == "POST" and form.is_valid():
        user = run_service(
            form, lambda: services.update_profile(user=request.user, **form.cleaned_data)
        )
        if user:
            messages.success(request, _("Your profile was saved."))
            return redirect("accounts:profile")
    tokens = ApiToken.objects.for_user(request.user)
    return render(
        request,
        "accounts/profile.html",
        {"form": form, "tokens": tokens, "token_form": TokenForm(), "new_token": None},
    )


@member_required
@require_POST
def token_create(request):
    form = TokenForm(request.POST)
    new_token = None
    if form.is_valid():
        _token, new_token = services.create_token(user=request.user, name=form.cleaned_data["name"])
    # The raw token is shown once, on this response, and never again.
    return render(
        request,
        "accounts/profile.html",
        {
            "form": ProfileForm(instance=request.user, company=request.company),
            "tokens": ApiToken.objects.for_user(request.user),
            "token_form": TokenForm(),
            "new_token": new_token,
        },
    )


@member_required
@require_POST
def token_delete(request, pk):
    token = get_object_or_404(ApiToken.objects.for_user(request.user), pk=pk)
    token.delete()
    messages.success(request, _("The token was revoked."))
    return redirect("accounts:profile")
