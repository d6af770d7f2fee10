"""A planned `Message` as the e-mail that goes over the wire.

Every attempt at one row gives the same bytes: Message-ID is the row's, Date the row's time,
and the MIME boundaries derive from the Message-ID (Python draws them at random). A worker killed
after the server took the message but before the row said so sends it again on the next claim;
the repeat is then byte-identical, so a receiving system that drops duplicates drops it.
"""

import hashlib
from email.mime.image import MIMEImage
from email.utils import format_datetime

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import SafeMIMEMultipart, SafeMIMEText

from portier.outbox.registry import Message


class _StableBoundaries:
    def message(self):
        msg = super().message()  # type: ignore[misc]
        seed = hashlib.sha256(str(msg["Message-ID"]).encode()).hexdigest()[:24]
        for index, part in enumerate(p for p in msg.walk() if p.is_multipart()):
            part.set_boundary(f"=_portier_{seed}_{index}")
        return msg


class StableEmail(_StableBoundaries, EmailMultiAlternatives):
    pass


class RelatedEmail(_StableBoundaries, EmailMultiAlternatives):
    """text/plain and multipart/related(text/html + inline images) as alternatives."""

    def __init__(self, *args, html: str, inline_images=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.html = html
        self.inline_images = list(inline_images)

    def _create_alternatives(self, msg):
        encoding = self.encoding or settings.DEFAULT_CHARSET
        alternative = SafeMIMEMultipart(_subtype="alternative", encoding=encoding)
        alternative.attach(msg)
        related = SafeMIMEMultipart(_subtype="related", encoding=encoding)
        related.attach(SafeMIMEText(self.html, "html", encoding))
        for cid, png in self.inline_images:
            image = MIMEImage(png, "png")
            image["Content-ID"] = f"<{cid}>"
            image.add_header("Content-Disposition", "inline", filename="check-in.png")
            related.attach(image)
        alternative.attach(related)
        return alternative


def email(message: Message, *, message_id: str, date=None) -> EmailMultiAlternatives:
    """`date`: the Date header (the row's time, so that a repeat is identical); None: now."""
    headers = {**message.headers, "Message-ID": message_id}
    if date is not None:
        headers["Date"] = format_datetime(date)
    common = {
        "subject": message.subject,
        "body": message.text,
        "from_email": settings.DEFAULT_FROM_EMAIL,
        "to": list(message.to),
        "reply_to": list(message.reply_to) or None,
        "headers": headers,
    }
    if message.inline_images is not None:
        mail = RelatedEmail(**common, html=message.html, inline_images=message.inline_images)
    else:
        mail = StableEmail(**common)
        if message.html:
            mail.attach_alternative(message.html, "text/html")
    for attachment in message.attachments:
        if isinstance(attachment, tuple):
            mail.attach(*attachment)
        else:
            mail.attach(attachment)
    return mail
