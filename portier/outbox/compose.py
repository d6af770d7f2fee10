"""A planned `Message` as the e-mail that goes over the wire."""

from email.mime.image import MIMEImage

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import SafeMIMEMultipart, SafeMIMEText

from portier.outbox.registry import Message


class RelatedEmail(EmailMultiAlternatives):
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


def email(message: Message, *, message_id: str) -> EmailMultiAlternatives:
    headers = {**message.headers, "Message-ID": message_id}
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
        mail = EmailMultiAlternatives(**common)
        if message.html:
            mail.attach_alternative(message.html, "text/html")
    for attachment in message.attachments:
        if isinstance(attachment, tuple):
            mail.attach(*attachment)
        else:
            mail.attach(attachment)
    return mail
