"""Forms of the guest's own steps: pre-registration (guest page and kiosk), the kiosk's code."""

from django import forms
from django.utils.translation import gettext_lazy as _


class PreregistrationForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=200)
    company_name = forms.CharField(label=_("Your company"), max_length=200, required=False)
    phone = forms.CharField(
        label=_("Phone (optional)"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    accept_rules = forms.BooleanField(
        label=_("I have read the house rules and privacy notice and accept them."),
        required=False,
    )

    def __init__(self, *args, rules: bool = False, **kwargs):
        """rules: the location has house rules the guest has not accepted yet."""
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["company_name"].widget.attrs["autocomplete"] = "organization"
        if rules:
            self.fields["accept_rules"].required = True
            self.fields["accept_rules"].error_messages["required"] = _(
                "Please accept the house rules to register."
            )
        else:
            del self.fields["accept_rules"]


class RulesForm(forms.Form):
    accept_rules = forms.BooleanField(
        label=_("I have read the house rules and privacy notice and accept them."),
        error_messages={"required": _("Please accept the house rules to check in.")},
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Your check-in code"),
        max_length=400,  # the QR's text may be longer than a typed code
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "autofocus": True,
                "inputmode": "text",
            }
        ),
    )
