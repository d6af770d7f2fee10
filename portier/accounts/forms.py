from django import forms
from django.utils.translation import gettext_lazy as _

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
