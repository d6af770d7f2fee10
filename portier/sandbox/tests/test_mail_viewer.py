"""The mail catcher keeps what Portier sends; the viewer shows it to logged-in users."""

import email
import email.policy

import pytest
from django.core import mail as django_mail
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse

from portier.invitations.content import qr_png
from portier.outbox.compose import RelatedEmail
from portier.sandbox.mail import html_for_frame
from portier.sandbox.models import Audience, CaughtMail
from portier.visits.tests.helpers import appointment

BACKEND = "portier.sandbox.mail.CatchingBackend"


def send_invitation_like_mail():
    """A message shaped like a guest invitation: text, HTML with an inline QR code, an .ics."""
    message = RelatedEmail(
        "Invitation: Visit – Tue 6 May",
        "Hello Gina,\nyou are invited.",
        "portier@portier.example",
        ["Gina Guest <gina@initech.example>"],
        html='<p>Hello <b>Gina</b></p><img src="cid:checkin-qr@portier" alt="QR">'
        "<script>alert(1)</script>",
        inline_images=[("checkin-qr@portier", qr_png("ABC123"))],
        connection=django_mail.get_connection(BACKEND),
    )
    message.attach(
        "invite.ics", "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n", "text/calendar"
    )
    assert message.send() == 1
    return CaughtMail.objects.get()


@pytest.fixture
def caught(acme, bob, acme_hq):
    mail = send_invitation_like_mail()
    # As for a guest e-mail of Bob's appointment from Acme's outbox (the catcher reads these
    # off the outbox row).
    CaughtMail.objects.filter(pk=mail.pk).update(
        company=acme, audience=Audience.APPOINTMENT, appointment=appointment(bob, acme_hq)
    )
    mail.refresh_from_db()
    return mail


def test_the_catcher_keeps_raw_bytes_and_parts(caught):
    assert caught.recipients == ["gina@initech.example"]
    assert caught.subject == "Invitation: Visit – Tue 6 May"
    assert caught.text.startswith("Hello Gina")
    assert "<b>Gina</b>" in caught.html
    parts = {a.content_type: a for a in caught.attachments.all()}
    assert set(parts) == {"image/png", "text/calendar"}
    assert parts["image/png"].content_id == "checkin-qr@portier" and parts["image/png"].inline
    assert bytes(parts["image/png"].data).startswith(b"\x89PNG")
    assert parts["text/calendar"].filename == "invite.ics"
    assert "METHOD:REQUEST" in parts["text/calendar"].text_preview
    parsed = email.message_from_bytes(bytes(caught.raw), policy=email.policy.default)
    assert parsed["To"] == "Gina Guest <gina@initech.example>"


def test_frame_html_has_the_qr_code_inline_and_links_open_outside(caught):
    html = html_for_frame(caught)
    assert "cid:" not in html and 'src="data:image/png;base64,' in html
    assert html.startswith('<base target="_blank">')


def test_a_message_without_recipients_is_not_kept(db):
    message = EmailMultiAlternatives(
        "x", "y", "a@b.example", [], connection=django_mail.get_connection(BACKEND)
    )
    assert message.send() == 0
    assert not CaughtMail.objects.exists()


def test_viewer_lists_and_shows_a_message(bob_client, caught):
    listing = bob_client.get(reverse("sandbox:mail")).content.decode()
    assert "gina@initech.example" in listing and "Invitation: Visit" in listing
    assert "e-mails to your own address" in listing and "Visit" in listing

    page = bob_client.get(reverse("sandbox:mail_detail", args=[caught.pk])).content.decode()
    # The HTML is shown in a sandboxed frame (no scripts; same origin only so that portier.js
    # can read its height), escaped into srcdoc.
    assert 'sandbox="allow-popups allow-popups-to-escape-sandbox allow-same-origin"' in page
    assert 'srcdoc="&lt;base target=&quot;_blank&quot;&gt;' in page
    assert "<script>alert(1)</script>" not in page
    assert "Hello Gina" in page and "invite.ics" in page and "METHOD:REQUEST" in page

    qr = caught.attachments.get(content_type="image/png")
    image = bob_client.get(reverse("sandbox:mail_attachment", args=[caught.pk, qr.pk]))
    assert image["Content-Type"] == "image/png" and image.content.startswith(b"\x89PNG")
    ics = caught.attachments.get(content_type="text/calendar")
    download = bob_client.get(reverse("sandbox:mail_attachment", args=[caught.pk, ics.pk]))
    assert download["Content-Disposition"].startswith("attachment;")
    raw = bob_client.get(reverse("sandbox:mail_raw", args=[caught.pk]))
    assert raw["Content-Type"] == "message/rfc822" and raw.content == bytes(caught.raw)


def test_carol_gets_404_on_acme_mail(carol_client, caught):
    for url in (
        reverse("sandbox:mail_detail", args=[caught.pk]),
        reverse("sandbox:mail_raw", args=[caught.pk]),
        reverse("sandbox:mail_attachment", args=[caught.pk, caught.attachments.first().pk]),
    ):
        assert carol_client.get(url).status_code == 404
    listed = carol_client.get(reverse("sandbox:mail")).content.decode()
    assert "gina@initech.example" not in listed and "Visit –" not in listed


def test_account_mail_is_only_for_its_recipient(client, alice_client, carol_client, settings):
    """A password reset caught in the sandbox must not let anybody else into the account."""
    settings.EMAIL_BACKEND = BACKEND
    client.post(reverse("password_reset"), {"email": "alice@acme.example"})
    reset = CaughtMail.objects.get()
    assert reset.company_id is None
    assert carol_client.get(reverse("sandbox:mail_detail", args=[reset.pk])).status_code == 404
    assert alice_client.get(reverse("sandbox:mail_detail", args=[reset.pk])).status_code == 200
    assert "/reset/" not in carol_client.get(reverse("sandbox:mail")).content.decode()


def test_the_catcher_reads_the_company_off_the_outbox(acme, bob):
    from portier.invitations.kinds import Kind
    from portier.outbox.models import Notification

    Notification.objects.create(
        company=acme,
        kind=Kind.INVITATION,
        key="inv:test",
        lane="a0:gina@initech.example",
        recipient="gina@initech.example",
        message_id="<portier.test@portier.example>",
    )
    message = django_mail.EmailMessage(
        "Invitation",
        "Hello",
        "portier@portier.example",
        ["gina@initech.example"],
        headers={"Message-ID": "<portier.test@portier.example>"},
        connection=django_mail.get_connection(BACKEND),
    )
    message.send()
    assert CaughtMail.objects.get().company == acme


def test_viewer_needs_a_login_and_the_sandbox(client, bob_client, caught, settings):
    response = client.get(reverse("sandbox:mail"))
    assert response.status_code == 302 and reverse("login") in response["Location"]
    settings.PORTIER_SANDBOX = False
    assert bob_client.get(reverse("sandbox:mail")).status_code == 404
    assert bob_client.get(reverse("sandbox:mail_detail", args=[caught.pk])).status_code == 404


def test_unknown_message_or_attachment_is_404(bob_client, caught):
    assert bob_client.get(reverse("sandbox:mail_detail", args=[caught.pk + 1])).status_code == 404
    other = caught.attachments.first().pk
    url = reverse("sandbox:mail_attachment", args=[caught.pk + 1, other])
    assert bob_client.get(url).status_code == 404


def test_banner_on_every_page_says_sandbox(client, bob_client, settings):
    assert "Sandbox mode" in client.get(reverse("login")).content.decode()
    page = bob_client.get(reverse("dashboard:home")).content.decode()
    assert 'id="sandbox-banner"' in page and reverse("sandbox:mail") in page
    settings.PORTIER_SANDBOX = False
    assert "sandbox-banner" not in bob_client.get(reverse("dashboard:home")).content.decode()


def test_banner_in_german(bob_client, bob):
    bob.language = "de"
    bob.save()
    assert "Sandbox-Modus" in bob_client.get(reverse("dashboard:home")).content.decode()
