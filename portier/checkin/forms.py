from django import forms
from django.utils.translation import gettext_lazy as _

from portier.accounts.models import User


class CodeForm(forms.Form):
    """A check-in code typed or scanned (the QR code's text) at the front desk."""

    code = forms.CharField(label=_("Check-in code"), max_length=400, strip=True)


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=100, required=False, strip=True)


class CheckOutAtForm(forms.Form):
    """The end-of-day list: when the guest really left (local time today), if known."""

    time = forms.TimeField(label=_("Left at"), widget=forms.TimeInput(attrs={"type": "time"}))


class WalkInForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    company_name = forms.CharField(label=_("Company"), max_length=200, required=False)
    email = forms.EmailField(
        label=_("E-mail address"),
        required=False,
        help_text=_("Optional. The visitor gets no e-mail from the front desk."),
    )
    host = forms.ModelChoiceField(label=_("Host"), queryset=User.objects.none())

    def __init__(self, *args, company, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = User.objects.filter(
            membership__company=company, is_active=True
        ).order_by("name", "email")
        self.fields["host"].label_from_instance = lambda u: (
            f"{u.name} ({u.email})" if u.name else u.email
        )
