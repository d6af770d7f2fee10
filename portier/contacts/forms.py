from django import forms
from django.utils.translation import gettext_lazy as _

from portier.visits import limits


class ContactForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=limits.GUEST_NAME_MAX_LENGTH, required=False)
    email = forms.EmailField(label=_("E-mail"), max_length=limits.EMAIL_MAX_LENGTH)
