import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portier.accounts.models import User
from portier.contacts.models import Contact
from portier.locations.models import Location
from portier.visits import limits
from portier.visits.manual import NewGuest

LOCAL_INPUT = "%Y-%m-%dT%H:%M"


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
    contacts = forms.ModelMultipleChoiceField(
        label=_("Invite from your contacts"),
        queryset=Contact.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        company, user = request.company, request.user
        self.fields["location"].queryset = Location.objects.for_company(company)
        if request.membership.is_admin:
            self.fields["host"].queryset = User.objects.filter(
                membership__company=company, is_active=True
            ).order_by("name", "email")
            self.fields["host"].help_text = _("Admins may invite on behalf of any colleague.")
        else:
            del self.fields["host"]
        contacts = Contact.objects.for_host(user)
        if contacts.exists():
            self.fields["contacts"].queryset = contacts
        else:
            del self.fields["contacts"]
        if not self.is_bound and "token" not in self.initial:
            self.initial["token"] = uuid.uuid4()


class GuestForm(forms.Form):
    first_name = forms.CharField(
        label=_("First name"), max_length=limits.GUEST_NAME_PART_MAX_LENGTH, required=False
    )
    last_name = forms.CharField(
        label=_("Last name"), max_length=limits.GUEST_NAME_PART_MAX_LENGTH, required=False
    )
    email = forms.EmailField(label=_("E-mail"), max_length=limits.EMAIL_MAX_LENGTH, required=False)

    def clean(self):
        data = super().clean()
        email = data.get("email")
        if self.errors or not (email or data.get("first_name") or data.get("last_name")):
            return data  # an empty row is skipped
        if data.get("DELETE"):
            return data
        if not email:
            self.add_error("email", _("Enter the guest's e-mail address."))
        known = email and email.lower() in self.known_emails
        if not known:  # guests already on the appointment may keep a name in one piece
            for name in ("first_name", "last_name"):
                if not data.get(name):
                    self.add_error(name, _("This field is required."))
        return data

    known_emails: frozenset = frozenset()


class BaseGuestFormSet(forms.BaseFormSet):
    # The service's rule (manual.guest_infos), said before the service is asked.
    default_error_messages = {"too_many_forms": _("At most %(num)d guests per appointment.")}

    def __init__(self, *args, known_emails=(), **kwargs):
        super().__init__(*args, **kwargs)
        for form in self.forms:
            form.known_emails = frozenset(known_emails)

    def guests(self) -> list[NewGuest]:
        result = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", {})
            if not data.get("email") or (self.can_delete and self._should_delete_form(form)):
                continue
            result.append(NewGuest(data["email"], data["first_name"], data["last_name"]))
        return result


def guest_formset(*, data=None, initial=None, known_emails=(), extra=3):
    formset_class = forms.formset_factory(
        GuestForm,
        formset=BaseGuestFormSet,
        extra=extra,
        can_delete=bool(initial),
        max_num=limits.GUESTS_MAX,
        validate_max=True,
    )
    return formset_class(data=data, initial=initial, prefix="guests", known_emails=known_emails)


def split_name(name: str) -> tuple[str, str]:
    first, _sep, last = (name or "").strip().partition(" ")
    return first, last
