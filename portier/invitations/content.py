"""One guest e-mail from templates: text, HTML with the QR code inline (cid:), the .ics attached.

Templates: emails/<kind>-subject.txt, -body.txt, -body.html with kind one of invitation,
update, cancellation, series-invitation, series-cancellation.
"""

import base64
import io
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import encoders
from email.mime.base import MIMEBase

import segno
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from portier.invitations import formatting, ics
from portier.lib.mail import absolute_url, mailbox, render_mail
from portier.outbox.registry import Message

QR_CID = "checkin-qr@portier"


def qr_png(code: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(code, error="m", micro=False).save(buffer, kind="png", scale=6, border=4)
    return buffer.getvalue()


def guest_language(guest, location) -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    for language in (guest.language, location.language, location.company.language):
        if language in codes:
            return language
    return settings.LANGUAGE_CODE


def guest_page_url(guest) -> str:
    return absolute_url(reverse("invitations:visit", args=[guest.token]))


@dataclass
class Mail:
    """What to say. fp is the appointment's guest-visible state (visits.compute_fingerprint).

    Dates of a series: `moves` (update) and `dates` (cancellation, series-cancellation) hold
    (appointment, guest, before-or-original fingerprint) for each date concerned.
    """

    kind: str
    appointment: object  # series kinds: the first date concerned
    guest: object
    fp: dict
    before: dict | None = None  # update: what the guest was last told
    original: dict | None = None  # a date of a series: its first version
    series: object | None = None
    occurrences: list = field(default_factory=list)  # series-invitation: (appointment, guest)
    moves: list = field(default_factory=list)  # (appointment, before fp, original fp)
    dates: list = field(default_factory=list)  # cancelled: (appointment, guest, original fp)
    removed: bool = False
    ends_after: object | None = None  # series-cancellation: no more dates from then on
    partial: bool = False  # series-cancellation: only these dates; the others stay
    stamp: object | None = None  # the .ics DTSTAMP: the outbox row's time (None: now)
    sequence: int = 0  # series kinds: series invitations the guest was sent before this one
    unknown: list = field(default_factory=list)  # series-invitation: rule dates it excluded
    listed_until: object | None = None  # series-invitation: every date known up to then

    @property
    def is_occurrence(self) -> bool:
        return self.series is not None and self.kind in ("update", "cancellation")


def _when(appointment, fp=None) -> str:
    return formatting.when(fp or appointment.fingerprint, appointment.location.zone)


def _context(mail: Mail, zone) -> dict:
    appointment, guest, fp = mail.appointment, mail.guest, mail.fp
    host = appointment.host
    description = "" if appointment.is_synced else (fp.get("description") or "")
    context = {
        "kind": mail.kind,
        "title": formatting.clip(fp["title"]),
        "when": formatting.when(fp, zone),
        "duration": formatting.duration(fp),
        "zone": zone.key,
        "place": formatting.place(fp),
        "description": description.strip()[: formatting.DESCRIPTION_MAX],
        "host_name": formatting.clip(host.name or host.email, 100),
        "host_email": host.email,
        "company": formatting.clip(appointment.company.name, 100),
        "guest_name": formatting.clip(guest.name, 100),
        "page_url": guest_page_url(guest),
        "check_in_code": guest.check_in_code,
        "qr_src": f"cid:{QR_CID}",
        "removed": mail.removed,
        "occurrence": mail.is_occurrence,
        "changes": [],
        "moves": [],
    }
    if mail.before is not None:
        context["changes"] = formatting.changes(
            mail.before, fp, zone_before=formatting.zone_of(mail.before, zone), zone_after=zone
        )
    if mail.is_occurrence and mail.original is not None:
        context["original_when"] = formatting.when(mail.original, zone)
    for moved, before, _original in mail.moves:
        context["moves"].append({"old": _when(moved, before), "new": _when(moved)})
    if mail.series is not None:
        context["series_title"] = formatting.clip(mail.series.title or fp["title"])
        context["rule"] = formatting.rule_in_words(mail.series.rule)
        pairs = mail.occurrences or [(a, g) for a, g, _o in mail.dates]
        context["dates"] = [{"when": _when(a), "code": g.check_in_code} for a, g in pairs[:8]]
        context["more_dates"] = max(len(pairs) - 8, 0)
        context["partial"] = mail.partial
        if mail.ends_after is not None:
            context["ends_after"] = formatting.day(mail.ends_after.astimezone(zone))
    return context


def _ics(mail: Mail) -> tuple[bytes, str]:
    guest = mail.guest
    cancel = mail.kind in ("cancellation", "series-cancellation")
    common = {"email": guest.email, "name": formatting.clip(guest.name, 100)}
    common["url"] = guest_page_url(guest)
    common["stamp"] = mail.stamp
    mail.unknown = unknown = []
    if mail.kind == "series-invitation" or (
        mail.kind == "series-cancellation" and not mail.partial and mail.ends_after is None
    ):
        pairs = mail.occurrences or [(a, g) for a, g, _o in mail.dates]
        data = ics.for_series(
            series=mail.series,
            first=mail.appointment,
            occurrences=[a for a, _g in pairs],
            cancel=cancel,
            dates=_series_dates(mail.series) if not cancel else None,
            sequence=mail.sequence,
            unknown=unknown,
            listed_until=mail.listed_until,
            **common,
        )
    elif mail.kind == "series-cancellation":
        dates = [(a, a.fingerprint, original) for a, _g, original in mail.dates]
        data = ics.for_occurrences(series_id=mail.series.pk, dates=dates, cancel=True, **common)
    elif mail.is_occurrence:
        dates = [(a, a.fingerprint, original) for a, _b, original in mail.moves] or [
            (mail.appointment, mail.fp, mail.original)
        ]
        data = ics.for_occurrences(series_id=mail.series.pk, dates=dates, cancel=cancel, **common)
    else:
        data = ics.for_appointment(
            appointment=mail.appointment, fp=mail.fp, cancel=cancel, **common
        )
    return data, "CANCEL" if cancel else "REQUEST"


def unknown_dates(mail: Mail) -> list:
    """The rule's dates a series invitation saying `mail` excludes as unknown (UTC)."""
    _ics(mail)
    return mail.unknown


def _calendar_part(data: bytes, method: str) -> MIMEBase:
    part = MIMEBase("text", "calendar", method=method, charset="utf-8")
    part.set_payload(data)
    encoders.encode_base64(part)
    filename = "cancel.ics" if method == "CANCEL" else "invite.ics"
    part.add_header("Content-Disposition", "attachment", filename=filename)
    return part


def render(mail: Mail, language: str, *, inline_qr: bool = True) -> dict:
    """subject, text, html (and the pieces a preview needs) in the given language."""
    zone = mail.appointment.location.zone
    with translation.override(language):
        context = _context(mail, zone)
        png = None
        if mail.kind in ("invitation", "update", "series-invitation"):
            png = qr_png(mail.guest.check_in_code)
            if not inline_qr:
                context["qr_src"] = "data:image/png;base64," + base64.b64encode(png).decode()
        else:
            context["qr_src"] = ""
        subject, text, html = render_mail(mail.kind, context, language)
    return {"subject": subject, "text": text, "html": html, "qr_png": png, "context": context}


def build(mail: Mail, language: str) -> Message:
    """The e-mail as the outbox sends it: HTML with the QR code inline, the .ics attached."""
    parts = render(mail, language)
    host = mail.appointment.host
    guest = mail.guest
    to_name = formatting.clip(guest.name, 100)
    data, method = _ics(mail)
    return Message(
        to=[mailbox(to_name, guest.email)],
        subject=parts["subject"],
        text=parts["text"],
        html=parts["html"],
        reply_to=[mailbox(formatting.clip(host.name, 100), host.email)],
        headers={"Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "All"},
        inline_images=[(QR_CID, parts["qr_png"])] if parts["qr_png"] else [],
        attachments=[_calendar_part(data, method)],
    )


def rule_fp(fp: dict, instance_key: str) -> dict:
    """A date's first fingerprint at its rule time: the date may have been moved before it was
    first synced; its instance key (the original start) says where the rule put it."""
    fp = dict(fp)
    if len(instance_key) == 16 and not fp["all_day"]:
        start = datetime.strptime(instance_key, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        length = datetime.fromisoformat(fp["ends_at"]) - datetime.fromisoformat(fp["starts_at"])
        fp["starts_at"], fp["ends_at"] = start.isoformat(), (start + length).isoformat()
    return fp


def original_fp(appointment) -> dict | None:
    """A date of a series as its rule has it (the .ics RECURRENCE-ID of its exceptions)."""
    from portier.visits.models import AppointmentVersion

    version = AppointmentVersion.objects.filter(appointment=appointment, number=1).first()
    return rule_fp(version.fingerprint, appointment.instance_key) if version else None


def _series_dates(series) -> dict:
    """{appointment pk: its first fingerprint (the rule's time)} of every date of the series."""
    from portier.visits.models import AppointmentVersion

    versions = AppointmentVersion.objects.filter(appointment__series=series, number=1)
    keys = dict(series.occurrences.values_list("pk", "instance_key"))
    return {
        v.appointment_id: rule_fp(v.fingerprint, keys.get(v.appointment_id, "")) for v in versions
    }
