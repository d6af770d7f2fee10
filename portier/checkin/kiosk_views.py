"""The kiosk: guests check themselves in and out at a tablet by the entrance.

No user session: the secret in the link is the kiosk's identity (404 when wrong or revoked).
Each step is a POST of a small form (Django's CSRF cookie works without a login); the guest's
code travels with each step, so nothing about the guest is kept between requests.
"""

import copy

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone, translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from portier.checkin import kiosks, registration, services
from portier.checkin.models import Via
from portier.checkin.registration_forms import CodeForm, PreregistrationForm, RulesForm
from portier.lib.errors import DomainError

BACK_TO_START_SECONDS = 8


def _language(request, kiosk) -> str:
    codes = dict(settings.LANGUAGES)
    wanted = request.POST.get("lang") or request.GET.get("lang")
    if wanted in codes:
        return wanted
    return kiosk.location.language or kiosk.company.language or settings.LANGUAGE_CODE


class _Step:
    def __init__(self, request, kiosk, language):
        self.request, self.kiosk, self.language = request, kiosk, language

    def page(self, template, **context):
        context.update(
            kiosk=self.kiosk,
            location=self.kiosk.location,
            language=self.language,
            other_languages=[(c, n) for c, n in settings.LANGUAGES if c != self.language],
            back_seconds=BACK_TO_START_SECONDS,
        )
        response = render(self.request, f"checkin/{template}.html", context)
        response["Referrer-Policy"] = "same-origin"  # no-referrer: Chromium posts Origin: null
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    def start(self, *, error="", form=None, checkout=False):
        return self.page("kiosk_start", form=form or CodeForm(), error=error, checkout=checkout)

    def guest(self, code, *, checkout=False):
        """The guest of this code, if they may check in (out) at this kiosk now; else raises
        with a sentence saying why (and where and when the visit is)."""
        guest = services.find_guest(self.kiosk.company, code)
        if checkout:
            return guest  # check_out(location=) refuses a guest checked in elsewhere
        # Everything but the pre-registration, which the kiosk does itself next.
        probe = copy.copy(guest)
        probe.registered_at = probe.registered_at or timezone.now()
        if getattr(guest, "visit", None) is None:
            services.ensure_can_check_in(probe, location=self.kiosk.location, now=timezone.now())
        return guest


def _confirm_forms(request, guest, bound: bool):
    """The forms the guest still has to fill in before check-in (None where nothing is due)."""
    data = request.POST if bound else None
    if registration.needs_preregistration(guest):
        initial = {"name": guest.name, "company_name": guest.company_name, "phone": guest.phone}
        form = PreregistrationForm(
            data, initial=initial, rules=registration.needs_rules(guest), prefix="reg"
        )
        return form, None
    if registration.needs_rules(guest):
        return None, RulesForm(data, prefix="rules")
    return None, None


def _check_in(step, guest, code):
    request, language = step.request, step.language
    reg_form, rules_form = _confirm_forms(request, guest, bound=True)
    rules = registration.house_rules(guest.appointment.location, language)
    confirm = {"guest": guest, "code": code, "reg_form": reg_form, "rules_form": rules_form}
    if reg_form is not None:
        if not reg_form.is_valid():
            return step.page("kiosk_confirm", rules=rules, **confirm)
        data = reg_form.cleaned_data
        guest = registration.preregister(
            guest=guest,
            name=data["name"],
            company_name=data["company_name"],
            phone=data["phone"],
            accept_rules=data.get("accept_rules", False),
        )
    elif rules_form is not None:
        if not rules_form.is_valid():
            return step.page("kiosk_confirm", rules=rules, **confirm)
        guest = registration.accept_rules(guest=guest)
    _visit, new = services.check_in(
        guest, location=step.kiosk.location, via=Via.KIOSK, kiosk=step.kiosk
    )
    return step.page("kiosk_done", guest=guest, done="in", new=new)


@never_cache
@require_http_methods(["GET", "POST"])
def kiosk(request, secret):
    found = kiosks.kiosk_for_secret(secret)
    if found is None:
        raise Http404
    language = _language(request, found)
    with translation.override(language):
        step = _Step(request, found, language)
        if request.method == "GET":
            return step.start(checkout=request.GET.get("mode") == "out")
        action = request.POST.get("action", "")
        form = CodeForm(request.POST)
        checkout = action.startswith("out")
        if not form.is_valid():
            return step.start(form=form, checkout=checkout)
        code = form.cleaned_data["code"]
        try:
            guest = step.guest(code, checkout=action == "out")
            if action == "out":
                services.check_out(guest, via=Via.KIOSK, location=step.kiosk.location)
                return step.page("kiosk_done", guest=guest, done="out")
            if action == "confirm":
                return _check_in(step, guest, code)
            reg_form, rules_form = _confirm_forms(request, guest, bound=False)
            return step.page(
                "kiosk_confirm",
                guest=guest,
                code=code,
                reg_form=reg_form,
                rules_form=rules_form,
                rules=registration.house_rules(guest.appointment.location, language),
            )
        except DomainError as exc:
            return step.start(error=exc.message, form=CodeForm(), checkout=checkout)
