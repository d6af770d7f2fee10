from email.utils import getaddresses

from django import forms
from django.utils.translation import gettext_lazy as _

LOCAL_INPUT = "%Y-%m-%dT%H:%M"
FIRST_YEAR, LAST_YEAR = 1900, 2999


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=LOCAL_INPUT, **kwargs)


def split_address_list(text: str) -> list[str]:
    """A list as typed or pasted from a mail client: entries separated by commas, semicolons
    or line breaks (not inside quotes or angle brackets); bare addresses also by spaces."""
    parts, current, quoted, angled, escaped = [], [], False, False, False
    for char in text:
        if escaped:
            escaped = False
        elif char == "\\" and quoted:
            escaped = True
        elif char == '"':
            quoted = not quoted
        elif char in "<>" and not quoted:
            angled = char == "<"
        if char in ",;\r\n" and not quoted and not angled:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    entries = []
    for part in (p.strip() for p in parts):
        words = part.split()
        if "<" not in part and '"' not in part and len(words) > 1 and all("@" in w for w in words):
            entries.extend(words)
        elif part:
            entries.append(part)
    return entries


class AttendeesField(forms.CharField):
    """Guests as Google's form takes them: `Peter Gibbons <peter@initech.example>`, bare
    addresses, or a list pasted from a mail client. Cleans to (display name, address) pairs,
    each address once."""

    widget = forms.Textarea(attrs={"rows": 3})

    def to_python(self, value):
        text = super().to_python(value)
        found = {}
        for entry in split_address_list(text):
            for name, address in getaddresses([entry]) or [("", "")]:
                address = address.strip().lower() or entry  # unreadable: shown as typed
                found.setdefault(address, name.strip().strip("'\"").strip())
        return [(name, address) for address, name in found.items()]

    def validate(self, value):
        super().validate(value)
        for _name, email in value:
            # Lenient like Google's form: an address at a bare host (invite@localhost) is allowed.
            local, at, domain = email.rpartition("@")
            if not at or not local or not domain or "@" in local or " " in email:
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
        help_text=_(
            "E-mail addresses, with or without names (Peter Gibbons <peter@initech.example>): "
            "one per line, or separated by commas or semicolons as a mail client copies them."
        ),
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
        for name, value in (("start", start), ("end", end)):
            # Far from the limits of Python's dates, so that no time zone can push them over.
            if value and not FIRST_YEAR <= value.year <= LAST_YEAR:
                self.add_error(
                    name,
                    _("Choose a date between the years %(first)s and %(last)s.")
                    % {"first": FIRST_YEAR, "last": LAST_YEAR},
                )
                start = end = None
        if start and end and end <= start:
            self.add_error("end", _("The end must be after the start."))
        if not data.get("weekly"):
            data["weeks"] = None
        return data
