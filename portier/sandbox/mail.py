"""The sandbox's mail catcher: an EMAIL_BACKEND that keeps every message in the database.

Selected in settings when the sandbox is on and EMAIL_HOST is not set. Sending never fails
(there is no server to refuse), so the outbox marks each e-mail sent at once.
"""

import base64
import email
import email.policy
import logging
import re
from email.message import EmailMessage
from email.utils import getaddresses

from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.urls import reverse
from django.utils.html import escape

from portier.invitations.kinds import GUEST_KINDS
from portier.lib.mail import absolute_url
from portier.outbox.models import Notification
from portier.sandbox.models import Audience, CaughtAttachment, CaughtMail

log = logging.getLogger(__name__)


class CatchingBackend(BaseEmailBackend):
    def send_messages(self, email_messages) -> int:
        sent = 0
        for message in email_messages:
            if not message.recipients():
                continue
            raw = message.message().as_bytes(linesep="\r\n")
            mail = catch(raw, sender=message.from_email, recipients=message.recipients())
            log.info(
                "sandbox: e-mail to %s caught, not sent: %s (%s)",
                ", ".join(mail.recipients),
                mail.subject,
                absolute_url(reverse("sandbox:mail_detail", args=[mail.pk])),
            )
            sent += 1
        return sent


def _outbox_fields(message_id: str) -> dict:
    """Who may read a caught e-mail, from the outbox row that sent it (found by Message-ID).

    Guest e-mails are shown with their appointment (or series); everything else, host notices
    and colleague invitations with their set-password link included, is for its recipients.
    """
    row = (
        Notification.objects.filter(message_id=message_id)
        .values("company_id", "kind", "appointment_id", "series_id")
        .first()
        if message_id
        else None
    )
    if row is None:
        return {}
    fields = {"company_id": row["company_id"]}
    if row["kind"] in GUEST_KINDS:
        fields.update(
            audience=Audience.APPOINTMENT,
            appointment_id=row["appointment_id"],
            series_id=row["series_id"],
        )
    return fields


def catch(raw: bytes, *, sender: str, recipients: list[str]) -> CaughtMail:
    """Store one message: its raw bytes, text and HTML bodies, and the other parts."""
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    text_part = parsed.get_body(preferencelist=("plain",))
    html_part = parsed.get_body(preferencelist=("html",))
    message_id = str(parsed.get("Message-ID", ""))[:300]
    with transaction.atomic():
        mail = CaughtMail.objects.create(
            **_outbox_fields(message_id),
            sender=sender,
            recipients=[address for _name, address in getaddresses(recipients)],
            subject=str(parsed.get("Subject", ""))[:998],
            message_id=message_id,
            text=text_part.get_content() if text_part is not None else "",
            html=html_part.get_content() if html_part is not None else "",
            raw=raw,
        )
        for part in parsed.walk():
            if part.is_multipart() or part is text_part or part is html_part:
                continue
            CaughtAttachment.objects.create(
                mail=mail,
                filename=(part.get_filename() or "")[:255],
                content_type=part.get_content_type()[:100],
                content_id=str(part.get("Content-ID", "")).strip().strip("<>")[:300],
                inline=part.get_content_disposition() == "inline",
                data=part.get_payload(decode=True) or b"",
            )
    return mail


def _data_uri(attachment: CaughtAttachment) -> str:
    payload = base64.b64encode(bytes(attachment.data)).decode()
    return f"data:{attachment.content_type};base64,{payload}"


def html_for_frame(mail: CaughtMail) -> str:
    """The HTML body as a sandboxed iframe shows it: inline images (cid:) as data: URIs, links
    opening in a new tab."""
    by_cid = {a.content_id: a for a in mail.attachments.all() if a.content_id}

    def inline(match: re.Match) -> str:
        attachment = by_cid.get(match.group(2))
        return match.group(1) + (escape(_data_uri(attachment)) if attachment else "")

    html = re.sub(r"""(src=["'])cid:([^"']+)""", inline, mail.html)
    return '<base target="_blank">' + html


def parsed(mail: CaughtMail) -> EmailMessage:
    return email.message_from_bytes(bytes(mail.raw), policy=email.policy.default)
