import re

from django import forms
from django.utils.translation import gettext_lazy as _

LOCAL_INPUT = "%Y-%m-%dT%H:%M"


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=LOCAL_INPUT, **kwargs)


class AttendeesField(forms.CharField):
    widget = forms.Textarea(attrs={"rows": 3})

    def to_python(self, value):
        text = super().to_python(value)
        emails = [e.strip().lower() for e in re.split(r"[\s,;]+", text) if e.strip()]
        return list(dict.fromkeys(emails))

    def validate(self, value):
        super().validate(value)
        for email in value:
            # Lenient like Google's form: the default invitation address is invite@127.0.0.1.
            local, at, domain = email.rpartition("@")
            if not at or not local or not domain or "@" in local:
                raise forms.ValidationError(
                    _("%(email)s is not an e-mail address."), params={"email": email}
                )


class EventForm(forms.Form):
    """An event as Google's own form has it (the fields Portier cares about)."""

    title = forms.CharField(label=_("Title"), max_length=200)
    start = forms.DateTimeField(label=_("Start"), widget=LocalDateTimeInput())
    end = forms.DateTimeField(label=_("End"), widget=LocalDateTimeInput())
    location = forms.CharField(label=_("Location"), max_length=300, required=False)
    attendees = AttendeesField(
        label=_("Guests"),
        required=False,
        help_text=_("E-mail addresses, one per line or separated by commas."),
    )
    weekly = forms.BooleanField(label=_("Repeat weekly"), required=False)
    weeks = forms.IntegerField(
        label=_("Number of dates"),
        required=False,
        min_value=2,
        max_value=52,
        help_text=_("Empty: the series has no end."),
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end <= start:
            self.add_error("end", _("The end must be after the start."))
        if not data.get("weekly"):
            data["weeks"] = None
        return data
