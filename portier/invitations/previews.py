"""Sample e-mails of every kind for the admins' preview: unsaved rows, nothing is written."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portier.invitations.content import Mail, render
from portier.locations.models import Location
from portier.visits.models import Appointment, Guest, Series

KINDS = [
    ("invitation", _("Invitation")),
    ("update", _("Update")),
    ("cancellation", _("Cancellation")),
    ("series-invitation", _("Series invitation")),
    ("series-cancellation", _("Series cancellation")),
]


def languages():
    return list(settings.LANGUAGES)


def _fingerprint(appointment) -> dict:
    location = appointment.location
    return {
        "title": appointment.title,
        "starts_at": appointment.starts_at.isoformat(),
        "ends_at": appointment.ends_at.isoformat(),
        "all_day": False,
        "start_date": None,
        "end_date": None,
        "time_zone": location.time_zone,
        "location_id": location.pk,
        "location_name": location.name,
        "location_address": location.address,
        "description": appointment.description,
        "guests": ["guest@example.org"],
    }


def _sample(company, host, location, start, **fields):
    appointment = Appointment(
        company=company,
        host=host,
        location=location,
        title=fields.pop("title", "Quarterly review"),
        description=fields.pop("description", ""),
        starts_at=start,
        ends_at=start + timedelta(minutes=90),
        version=2,
        **fields,
    )
    appointment.fingerprint = _fingerprint(appointment)
    guest = Guest(
        appointment=appointment,
        email="guest@example.org",
        name="Erika Mustermann",
        check_in_code="K7M2P9QX",
        token="preview",
    )
    return appointment, guest


def render_sample(kind: str, language: str, *, company, host) -> dict:
    location = Location.objects.for_company(company).order_by("name").first() or Location(
        company=company, name="Head office", address="Friedrichstraße 100\n10117 Berlin"
    )
    start = (timezone.now() + timedelta(days=7)).replace(hour=9, minute=0, second=0, microsecond=0)
    appointment, guest = _sample(company, host, location, start)
    if kind == "invitation":
        mail = Mail(kind, appointment, guest, fp=appointment.fingerprint)
    elif kind == "update":
        before = {
            **appointment.fingerprint,
            "starts_at": (start - timedelta(hours=1)).isoformat(),
            "ends_at": (start + timedelta(minutes=30)).isoformat(),
        }
        mail = Mail(kind, appointment, guest, fp=appointment.fingerprint, before=before)
    elif kind == "cancellation":
        mail = Mail(kind, appointment, guest, fp=appointment.fingerprint)
    else:
        series = Series(
            company=company, host=host, title="Weekly sync", rule="RRULE:FREQ=WEEKLY;COUNT=10"
        )
        dates = [
            _sample(company, host, location, start + timedelta(weeks=n), title="Weekly sync")
            for n in range(4)
        ]
        first, guest = dates[0]
        mail = Mail(kind, first, guest, fp=first.fingerprint, series=series, occurrences=dates)
    return render(mail, language, inline_qr=False)
