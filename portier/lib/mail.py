"""E-mail as template name + context: emails/<name>-subject.txt, -body.txt, -body.html."""

from email.utils import formataddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def mailbox(name: str, address: str) -> str:
    """ "Name <address>" for a header. formataddr wants an ASCII address: an internationalized
    domain (ann@例え.jp, which the forms accept) goes out in its IDNA form, as Django's own
    address handling does; the display name is encoded by the mail library."""
    local, _, domain = address.rpartition("@")
    if domain and not domain.isascii():
        address = f"{local}@{domain.encode('idna').decode('ascii')}"
    return formataddr((name, address)) if name else address


def absolute_url(path: str) -> str:
    return settings.PORTIER_BASE_URL + path


def render_mail(name: str, context: dict, language: str) -> tuple[str, str, str]:
    with translation.override(language):
        subject = render_to_string(f"emails/{name}-subject.txt", context)
        text = render_to_string(f"emails/{name}-body.txt", context)
        html = render_to_string(f"emails/{name}-body.html", context)
    # A subject is one line: user text in it must never add headers.
    subject = " ".join(subject.split())
    return subject, text, html


def send_template_mail(name: str, to: str, context: dict, language: str, **kwargs) -> None:
    subject, text, html = render_mail(name, context, language)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [to], **kwargs)
    message.attach_alternative(html, "text/html")
    message.send()
