"""The pre-registration part of the guest's page (`/visit/<token>/`, invitations.views.visit):
the form, the house rules, the decline button, and what a POST to the page does."""

from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from portier.checkin import registration
from portier.checkin.registration_forms import PreregistrationForm
from portier.lib.forms import run_service


class Registration:
    """Built inside the guest's language; `.response` is a redirect after a successful POST."""

    def __init__(self, request, guest, language: str):
        appointment = guest.appointment
        location = appointment.location
        self.guest = guest
        self.rules = registration.house_rules(location, language)
        self.required = location.requires_preregistration
        self.declined = guest.declined_at is not None
        self.open = (
            not appointment.is_cancelled
            and appointment.ends_at > timezone.now()
            and not self.declined
            and getattr(guest, "visit", None) is None
        )
        self.response = None
        action = request.POST.get("action") if request.method == "POST" else None
        self.form = PreregistrationForm(
            request.POST if action == "register" else None,
            initial={"name": guest.name, "company_name": guest.company_name, "phone": guest.phone},
            rules=registration.needs_rules(guest),
            prefix="reg",
        )
        if not self.open or action is None:
            return
        done_url = reverse("invitations:visit", args=[guest.token]) + "#registration"
        if action == "decline":
            try:
                registration.decline(guest=guest)
            except registration.RegistrationRefused as exc:
                self.form.add_error(None, exc.message)
            else:
                self.response = redirect(done_url)
        elif action == "register" and self.form.is_valid():
            data = self.form.cleaned_data
            saved = run_service(
                self.form,
                lambda: registration.preregister(
                    guest=guest,
                    name=data["name"],
                    company_name=data["company_name"],
                    phone=data["phone"],
                    accept_rules=data.get("accept_rules", False),
                ),
            )
            if saved is not None:
                self.response = redirect(done_url)

    @property
    def registered(self) -> bool:
        return self.guest.registered_at is not None

    @property
    def pending(self) -> bool:
        return registration.needs_preregistration(self.guest)
