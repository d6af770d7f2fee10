"""Pre-registration: the guest confirms who they are and accepts the location's house rules,
on their own page (`/visit/<token>/`) or at the kiosk; or declines the visit.

A declined guest gets no further invitation or update for that date (see
`invitations.decisions`); a cancellation (of the appointment, or taking the guest off it) is
still sent, so that a calendar that holds the event from the invitation's .ics drops it. A guest
taken off and added again is invited anew and may answer again (`visits.services`). The host
is told of a decline by e-mail, through the outbox, in the host's language.
"""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portier.checkin.notices import HOST_GUEST_DECLINED
from portier.invitations import formatting
from portier.lib.errors import DomainError
from portier.lib.mail import absolute_url
from portier.outbox import notices
from portier.visits.models import Guest, GuestKind

DECLINED_MAIL = "guest-declined"


class RegistrationRefused(DomainError):
    pass


def house_rules(location, language: str) -> str:
    """The location's house rules / privacy notice in the language, else in the other one."""
    own = location.house_rules_de if language == "de" else location.house_rules_en
    return (own or location.house_rules_en or location.house_rules_de or "").strip()


def has_house_rules(location) -> bool:
    return bool((location.house_rules_en or "").strip() or (location.house_rules_de or "").strip())


def needs_rules(guest) -> bool:
    return has_house_rules(guest.appointment.location) and guest.rules_accepted_at is None


def needs_preregistration(guest) -> bool:
    """The location requires it and the guest has not done it (or not accepted the rules)."""
    location = guest.appointment.location
    if not location.requires_preregistration:
        return False
    return guest.registered_at is None or needs_rules(guest)


def _ensure_open(guest) -> None:
    appointment = guest.appointment
    if guest.kind != GuestKind.GUEST or guest.removed_at is not None or guest.erased_at:
        raise RegistrationRefused(_("This visit no longer includes you."))
    if appointment.is_cancelled:
        raise RegistrationRefused(_("This visit is cancelled."))
    if appointment.ends_at <= timezone.now():
        raise RegistrationRefused(_("This visit is over."))


def _locked(guest) -> Guest:
    return (
        Guest.objects.select_for_update().select_related("appointment__location").get(pk=guest.pk)
    )


@transaction.atomic
def preregister(
    *, guest, name: str, company_name: str = "", phone: str = "", accept_rules: bool = False
) -> Guest:
    """Store the guest's own details; accept the house rules (required when there are some)."""
    guest = _locked(guest)
    _ensure_open(guest)
    if guest.declined_at is not None:
        raise RegistrationRefused(_("You declined this visit. Ask your host to invite you again."))
    name = " ".join((name or "").split())
    if not name:
        raise RegistrationRefused(_("Please enter your name."), field="name")
    if needs_rules(guest) and not accept_rules:
        raise RegistrationRefused(
            _("Please accept the house rules to register."), field="accept_rules"
        )
    now = timezone.now()
    guest.name = name[:200]
    guest.company_name = " ".join((company_name or "").split())[:200]
    guest.phone = " ".join((phone or "").split())[:40]
    guest.registered_at = now
    fields = ["name", "company_name", "phone", "registered_at"]
    if accept_rules and has_house_rules(guest.appointment.location):
        guest.rules_accepted_at = guest.rules_accepted_at or now
        fields.append("rules_accepted_at")
    guest.save(update_fields=fields)
    return guest


@transaction.atomic
def accept_rules(*, guest) -> Guest:
    """The kiosk's step when the guest registered before the location had rules."""
    guest = _locked(guest)
    _ensure_open(guest)
    if guest.rules_accepted_at is None:
        guest.rules_accepted_at = timezone.now()
        guest.save(update_fields=["rules_accepted_at"])
    return guest


@transaction.atomic
def decline(*, guest) -> Guest:
    """The guest will not come: remember it and tell the host (once)."""
    guest = _locked(guest)
    _ensure_open(guest)
    if guest.declined_at is not None:
        return guest
    if getattr(guest, "visit", None) is not None:
        raise RegistrationRefused(_("You are already checked in for this visit."))
    guest.declined_at = timezone.now()
    guest.save(update_fields=["declined_at"])
    _tell_host(guest)
    return guest


def _tell_host(guest) -> None:
    appointment = guest.appointment
    host = appointment.host
    language = host.mail_language(appointment.company)
    with translation.override(language):
        when = formatting.when(appointment.fingerprint, appointment.location.zone)
    notices.write(
        kind=HOST_GUEST_DECLINED,
        key=f"declined:{guest.pk}",
        company=appointment.company,
        recipient=host.email,
        appointment=appointment,
        guest=guest,
        data={
            "template": DECLINED_MAIL,
            "language": language,
            "guest_id": guest.pk,
            "context": {
                "host_name": host.name or host.email,
                "guest_name": guest.name,
                "guest_email": guest.email,
                "title": formatting.clip(appointment.title),
                "when": when,
                "company": appointment.company.name,
                "link": absolute_url(reverse("visits:detail", args=[appointment.pk])),
            },
        },
    )
