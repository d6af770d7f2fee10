"""The guest's own page (public, reached by the personal link) and the admins' e-mail previews."""

import segno
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache

from portier.checkin import guest_page
from portier.companies.tenancy import admin_required
from portier.invitations import content, formatting, previews
from portier.visits.models import AppointmentStatus, Guest, GuestKind


def _qr_svg(code: str) -> str:
    # segno writes the SVG itself: no outside text in it.
    return mark_safe(segno.make(code, error="m", micro=False).svg_inline(scale=5))  # noqa: S308


def _date(appointment, guest) -> dict:
    zone = appointment.location.zone
    return {
        "when": formatting.when(appointment.fingerprint, zone),
        "code": guest.check_in_code,
        "token": guest.token,
        "cancelled": appointment.is_cancelled,
    }


@never_cache
def visit(request, token):
    guest = get_object_or_404(
        Guest.objects.select_related(
            "appointment__location__company", "appointment__host", "appointment__series"
        ),
        token=token,
        kind=GuestKind.GUEST,
    )
    if guest.removed_at is not None:
        return _withdrawn(request, guest)
    appointment = guest.appointment
    location = appointment.location
    language = content.guest_language(guest, location)
    with translation.override(language):
        registration = guest_page.Registration(request, guest, language)  # pre-registration
        if registration.response is not None:
            return registration.response
        fp = appointment.fingerprint
        context = {
            "language": language,
            "title": formatting.clip(appointment.title),
            "when": formatting.when(fp, location.zone),
            "duration": formatting.duration(fp),
            "place": formatting.place(fp),
            "host_name": appointment.host.name or appointment.host.email,
            "host_email": appointment.host.email,
            "company": appointment.company.name,
            "guest": guest,
            "cancelled": appointment.is_cancelled,
            "past": appointment.ends_at <= timezone.now(),
            "description": "" if appointment.is_synced else appointment.description,
            "qr_svg": _qr_svg(guest.check_in_code),
            "dates": [],
            "registration": registration,
        }
        if appointment.series_id:
            others = (
                Guest.objects.filter(
                    appointment__series_id=appointment.series_id,
                    email=guest.email,
                    kind=GuestKind.GUEST,
                    removed_at__isnull=True,
                    appointment__ends_at__gt=timezone.now(),
                    appointment__status=AppointmentStatus.ACTIVE,
                )
                .select_related("appointment__location")
                .order_by("appointment__starts_at")
            )
            context["dates"] = [_date(g.appointment, g) for g in others[:50]]
        response = render(request, "invitations/visit.html", context)
    # Not "no-referrer": with it Chromium sends "Origin: null" on the page's own form posts
    # (pre-registration), which Django's CSRF check refuses. same-origin still tells no
    # outside site (a map link) the personal URL.
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _withdrawn(request, guest):
    """The host took the guest off the list: no details, no code, but say so and whom to ask
    (410 Gone: the invitation existed and was withdrawn on purpose)."""
    appointment = guest.appointment
    language = content.guest_language(guest, appointment.location)
    with translation.override(language):
        context = {
            "language": language,
            "title": formatting.clip(appointment.title),
            "company": appointment.company.name,
            "host_name": appointment.host.name or appointment.host.email,
            "host_email": appointment.host.email,
            "cancelled": appointment.is_cancelled,
        }
        response = render(request, "invitations/withdrawn.html", context, status=410)
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@admin_required
def email_previews(request):
    return render(
        request,
        "invitations/previews.html",
        {"kinds": previews.KINDS, "languages": previews.languages()},
    )


@admin_required
def email_preview(request, kind, language):
    if kind not in dict(previews.KINDS) or language not in dict(previews.languages()):
        raise Http404
    parts = previews.render_sample(kind, language, company=request.company, host=request.user)
    return render(
        request,
        "invitations/preview.html",
        {
            "kind": kind,
            "kind_name": dict(previews.KINDS)[kind],
            "language": language,
            "parts": parts,
            "kinds": previews.KINDS,
            "languages": previews.languages(),
        },
    )
