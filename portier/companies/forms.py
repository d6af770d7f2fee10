from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from portier.companies.models import Role
from portier.locations.models import Location

RECEPTION_LOCATIONS_HELP = _(
    "Reception only: the front desks this person works. None ticked: every location."
)


def _locations_field():
    return forms.ModelMultipleChoiceField(
        label=_("Front desks"),
        queryset=Location.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=RECEPTION_LOCATIONS_HELP,
    )


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices, initial=Role.HOST)
    locations = _locations_field()

    def __init__(self, *args, company, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["locations"].queryset = Location.objects.for_company(company)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    locations = _locations_field()

    def __init__(self, *args, company=None, **kwargs):
        super().__init__(*args, **kwargs)
        if company is not None:
            self.fields["locations"].queryset = Location.objects.for_company(company)


class CompanyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    language = forms.ChoiceField(label=_("Default language"), choices=settings.LANGUAGES)
    internal_domains = forms.CharField(
        label=_("Internal e-mail domains"),
        required=False,
        help_text=_(
            "Comma-separated. People at these domains are colleagues and never get guest e-mails."
        ),
    )

    def clean_internal_domains(self):
        raw = self.cleaned_data["internal_domains"]
        domains = [d.strip().lower().lstrip("@") for d in raw.replace("\n", ",").split(",")]
        domains = [d for d in domains if d]
        for domain in domains:
            if "." not in domain or " " in domain or "@" in domain:
                raise forms.ValidationError(
                    _("%(domain)s is not a domain name."), params={"domain": domain}
                )
        return domains
