import uuid
from datetime import datetime, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portier.accounts.models import User
from portier.contacts.models import Contact
from portier.locations.models import Location
from portier.visits import limits
from portier.visits.manual import NewGuest

LOCAL_INPUT = "%Y-%m-%dT%H:%M"
CONTACTS_LIST_ID = "guest-contacts"
CONTACTS_OFFERED = 500
DEFAULT_DURATION = timedelta(hours=1)


class LocalDateTimeField(forms.DateTimeField):
    """A datetime-local input, read as wall-clock time: naive, so that the service places it
    in the chosen location's time zone (not the browser's, not the server's)."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_INPUT)
    input_formats = [LOCAL_INPUT, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]

    def to_python(self, value):
        value = super().to_python(value)
        return timezone.make_naive(value) if value and timezone.is_aware(value) else value


def local_input(value, zone):
    """An aware instant as the datetime-local value at the location."""
    return value.astimezone(zone).replace(tzinfo=None)


class ListFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    location = forms.ModelChoiceField(
        label=_("Location"), queryset=Location.objects.none(), required=False
    )
    date = forms.DateField(
        label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, company, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = Location.objects.for_company(company)
        self.fields["location"].empty_label = _("All locations")
        self.fields["q"].widget.attrs["placeholder"] = _("Title or guest")

    def filters(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if v} if self.is_valid() else {}


class AppointmentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=limits.TITLE_MAX_LENGTH)
    location = forms.ModelChoiceField(label=_("Location"), queryset=Location.objects.none())
    starts_at = LocalDateTimeField(label=_("Start"))
    ends_at = LocalDateTimeField(label=_("End"))
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=limits.DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional. Shown to the guests in the invitation."),
    )
    host = forms.ModelChoiceField(label=_("Host"), queryset=User.objects.none(), required=False)
    token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        company = request.company
        self.fields["location"].queryset = Location.objects.for_company(company)
        if request.membership.is_admin:
            self.fields["host"].queryset = User.objects.filter(
                membership__company=company, is_active=True
            ).order_by("name", "email")
            self.fields["host"].help_text = _("Admins may invite on behalf of any colleague.")
        else:
            del self.fields["host"]
        if not self.is_bound and "token" not in self.initial:
            self.initial["token"] = uuid.uuid4()


class GuestForm(forms.Form):
    first_name = forms.CharField(
        label=_("First name"), max_length=limits.GUEST_NAME_PART_MAX_LENGTH, required=False
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=limits.GUEST_NAME_PART_MAX_LENGTH, required=False
    )
    email = forms.EmailField(
        label=_("E-mail"),
        max_length=limits.EMAIL_MAX_LENGTH,
        required=False,
        # The type-ahead: the page's <datalist> of the host's contacts.
        widget=forms.EmailInput(attrs={"list": CONTACTS_LIST_ID, "autocomplete": "off"}),
    )

    def clean(self):
        data = super().clean()
        email = data.get("email")
        if self.errors or not (email or data.get("first_name") or data.get("last_name")):
            return data  # an empty row is skipped
        if data.get("DELETE"):
            return data
        if not email:
            self.add_error("email", _("Enter the guest's e-mail address."))
            return data
        if not self.needs_name(email.lower()):
            return data
        for name in ("first_name", "last_name"):
            if not data.get(name):
                self.add_error(name, _("This field is required."))
        return data

    def needs_name(self, email: str) -> bool:
        """Guests are greeted by name; colleagues (never e-mailed), guests already on the
        appointment and contacts with a name may come with the address alone."""
        return not (
            email in self.known_emails
            or email in self.contact_names
            or (self.company is not None and self.company.is_internal_email(email))
        )

    known_emails: frozenset = frozenset()
    contact_names: dict = {}  # replaced per formset, never mutated
    company = None


class BaseGuestFormSet(forms.BaseFormSet):
    # The service's rule (manual.guest_infos), said before the service is asked.
    default_error_messages = {"too_many_forms": _("At most %(num)d guests per appointment.")}

    def __init__(self, *args, known_emails=(), company=None, contact_names=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.contact_names = contact_names or {}
        for form in self.forms:
            form.known_emails = frozenset(known_emails)
            form.contact_names = self.contact_names
            form.company = company

    def guests(self) -> list[NewGuest]:
        result = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", {})
            if not data.get("email") or (self.can_delete and self._should_delete_form(form)):
                continue
            first, last = data["first_name"], data["last_name"]
            name = "" if first or last else self.contact_names.get(data["email"].lower(), "")
            result.append(NewGuest(data["email"], first, last, name=name))
        return result


def guest_formset(*, data=None, initial=None, known_emails=(), company=None, contacts=()):
    """Guest rows: one empty row to type into (the page's script adds more, up to the limit);
    every row can be removed. `contacts` are the host's, offered by the type-ahead and naming
    a guest typed by address alone."""
    formset_class = forms.formset_factory(
        GuestForm,
        formset=BaseGuestFormSet,
        extra=1,
        can_delete=True,
        max_num=limits.GUESTS_MAX,
        validate_max=True,
    )
    return formset_class(
        data=data,
        initial=initial,
        prefix="guests",
        known_emails=known_emails,
        company=company,
        contact_names={c.email.lower(): c.name for c in contacts if c.name},
    )


def offered_contacts(user) -> list[Contact]:
    """The host's contacts for the type-ahead (the most recent first, a bounded list)."""
    return list(Contact.objects.for_host(user).order_by("-created")[:CONTACTS_OFFERED])


def default_times(zone, now=None) -> tuple[datetime, datetime]:
    """A new appointment starts at the next full hour at the location and lasts one hour."""
    local_now = (now or timezone.now()).astimezone(zone)
    start = (local_now + timedelta(hours=1)).replace(minute=0, second=0, microsecond=0)
    start = start.replace(tzinfo=None)
    return start, start + DEFAULT_DURATION


def split_name(name: str) -> tuple[str, str]:
    first, _sep, last = (name or "").strip().partition(" ")
    return first, last
