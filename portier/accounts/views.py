from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portier.accounts import services
from portier.accounts.forms import LoginForm, ProfileForm, ResetForm, TokenForm
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
            if user.language:  # the message speaks the language just chosen
                translation.activate(user.language)
            messages.success(request, _("Your profile was saved."))
            return redirect("accounts:profile")
    return _render_profile(request, form=form)


def _render_profile(request, *, form=None, token_form=None, new_token=None):
    if form is None:
        form = ProfileForm(instance=request.user, company=request.company)
    context = {
        "form": form,
        "tokens": ApiToken.objects.for_user(request.user),
        "token_form": token_form or TokenForm(),
        "new_token": new_token,
        "now": timezone.now(),
    }
    return render(request, "accounts/profile.html", context)


@member_required
@require_POST
def token_create(request):
    form = TokenForm(request.POST)
    new_token = None
    if form.is_valid():
        _token, new_token = services.create_token(
            user=request.user,
            name=form.cleaned_data["name"],
            valid_days=form.cleaned_data["valid_days"],
        )
    # The raw token is shown once, on this response, and never again.
    return _render_profile(
        request, token_form=None if form.is_valid() else form, new_token=new_token
    )


@member_required
@require_POST
def token_delete(request, pk):
    token = get_object_or_404(ApiToken.objects.for_user(request.user), pk=pk)
    services.revoke_token(token=token)
    messages.success(request, _("The token was revoked."))
    return redirect("accounts:profile")


class LoginView(auth_views.LoginView):
    """Django's log-in, throttled: a refused attempt answers 429 with the reason on the page."""

    authentication_form = LoginForm

    def form_invalid(self, form):
        return _throttled(super().form_invalid(form), form)


def _throttled(response, form):
    """A refused attempt of a throttled form answers 429 and says when to try again."""
    if form.retry_after:
        response.status_code = 429
        response["Retry-After"] = str(form.retry_after)
    return response


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset request, throttled per target address and per client address."""

    form_class = ResetForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def form_invalid(self, form):
        return _throttled(super().form_invalid(form), form)
