"""E-mails to hosts (a wrong location code, a lost calendar grant), through the same durable
outbox as guest e-mails: written with the change that causes them, sent once, retried."""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction

from portier.checkin.models import Visit
from portier.invitations.models import Kind, Notification
from portier.lib.mail import render_mail
from portier.visits.models import Guest


@dataclass
class HostPlan:
    message: EmailMultiAlternatives
    kind: str | None = None
    sent_version: int | None = None
    data: dict = field(default_factory=dict)
    folds: list = field(default_factory=list)


def write(
    *, kind, key, company, recipient, data, appointment=None, guest=None
) -> Notification | None:
    """Queue one host e-mail; a second call with the same key writes nothing. `guest`: the
    guest it is about (retention erases the row's personal data with the guest's)."""
    from portier.invitations.services import _enqueue_delivery, _write

    row = _write(
        key,
        kind=kind,
        company=company,
        lane=f"h:{recipient}",
        recipient=recipient,
        appointment=appointment,
        guest=guest,
        data=data,
    )
    if row is not None:
        transaction.on_commit(_enqueue_delivery)
    return row


def _still_true(row) -> str:
    """Empty when the e-mail is still worth sending, else why not."""
    if row.kind == Kind.HOST_INVALID_CODE:
        appointment = row.appointment
        if appointment is None or appointment.held_code != row.data.get("code"):
            return "the location code was corrected before the e-mail went out"
        return ""
    if row.kind == Kind.COLLEAGUE_INVITE:
        user = _invited_user(row)
        if user is None or not user.is_active or user.has_usable_password():
            return "the colleague already chose a password (or left)"
        return ""
    if row.kind == Kind.HOST_RECONNECT:
        from portier.integrations.models import Connection, Status

        connection = Connection.objects.filter(pk=row.data.get("connection_id")).first()
        if connection is None or connection.status != Status.NEEDS_RECONNECT:
            return "the calendar was reconnected before the e-mail went out"
        return ""
    if row.kind == Kind.HOST_GUEST_DECLINED:
        guest = Guest.objects.filter(pk=row.data.get("guest_id")).first()
        if guest is None or guest.declined_at is None or guest.erased_at is not None:
            return "the guest no longer declines the visit"
        return ""
    if row.kind == Kind.HOST_ARRIVAL:
        visit = Visit.objects.filter(pk=row.data.get("visit_id")).select_related("guest").first()
        if visit is None or visit.guest.erased_at is not None:
            return "the check-in was undone (or the guest's data erased) before the e-mail went out"
        return ""
    return f"unknown host e-mail kind {row.kind}"


def _invited_user(row):
    from portier.accounts.models import User

    return User.objects.filter(pk=row.data.get("user_id")).first()


def _password_link(user) -> str:
    """Made when the e-mail goes out, so the one-time token is never stored in the outbox."""
    from django.contrib.auth.tokens import default_token_generator
    from django.urls import reverse
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from portier.lib.mail import absolute_url

    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return absolute_url(reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token}))


def plan(row) -> HostPlan | str:
    reason = _still_true(row)
    if reason:
        return reason
    context = dict(row.data["context"])
    if row.kind == Kind.COLLEAGUE_INVITE:
        context["link"] = _password_link(_invited_user(row))
    subject, text, html = render_mail(row.data["template"], context, row.data["language"])
    message = EmailMultiAlternatives(
        subject,
        text,
        settings.DEFAULT_FROM_EMAIL,
        [row.recipient],
        headers={"Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(html, "text/html")
    return HostPlan(message)
