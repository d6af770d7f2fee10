import math

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portier.accounts import throttle
from portier.accounts.models import User
from portier.locations.models import Location


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["name", "language", "primary_location"]

    def __init__(self, *args, company, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the user's own company's locations can be chosen.
        self.fields["primary_location"].queryset = Location.objects.for_company(company)
        self.fields["primary_location"].help_text = _(
            "Appointments from your calendars land here unless an event names another location."
        )


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, initial="API")
    valid_days = forms.TypedChoiceField(
        label=_("Expires"),
        choices=[
            ("", _("never")),
            ("30", _("in 30 days")),
            ("90", _("in 90 days")),
            ("365", _("in 365 days")),
        ],
        coerce=int,
        empty_value=None,
        required=False,
    )


def _minutes(seconds: int) -> int:
    return max(1, math.ceil(seconds / 60))


class LoginForm(AuthenticationForm):
    """Counts wrong passwords per account and per client address; past either limit even the
    right password is refused until the window closes (portier/accounts/throttle.py)."""

    retry_after = 0

    def clean(self):
        email = (self.cleaned_data.get("username") or "").strip().lower()
        self.retry_after = throttle.login_retry_after(self.request, email)
        if self.retry_after:
            minutes = _minutes(self.retry_after)
            message = ngettext(
                "Too many failed log-ins. Please wait %(minutes)s minute and try again.",
                "Too many failed log-ins. Please wait %(minutes)s minutes and try again.",
                minutes,
            )
            raise forms.ValidationError(message % {"minutes": minutes}, code="throttled")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if email:
                throttle.login_failed(self.request, email)
            raise
        throttle.login_succeeded(email)
        return cleaned


class ResetForm(PasswordResetForm):
    """Counts every request, whether or not the address has an account (so the answer tells
    nothing), per target address and per client address."""

    retry_after = 0

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        self.retry_after = throttle.reset_retry_after(self.request, email)
        if self.retry_after:
            minutes = _minutes(self.retry_after)
            message = ngettext(
                "Too many reset requests. Please wait %(minutes)s minute and try again.",
                "Too many reset requests. Please wait %(minutes)s minutes and try again.",
                minutes,
            )
            raise forms.ValidationError(message % {"minutes": minutes}, code="throttled")
        throttle.reset_requested(self.request, email)
        return email
