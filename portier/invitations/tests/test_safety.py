"""Text from outside (titles, names, places) is escaped, bounded and cannot add headers."""

import pytest

from portier.invitations.tests.helpers import GUESTS, parts, subject
from portier.invitations.tests.test_invitations import create
from portier.visits.services import GuestInfo

pytestmark = pytest.mark.django_db


def test_a_script_in_the_title_is_escaped(
    bob, acme_hq, smtp_sink, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        create(
            bob,
            acme_hq,
            title='<script>alert("x")</script> & <b>bold</b>',
            guests=[GuestInfo("ann@example.org", '<img src=x onerror="alert(1)">')],
        )
    (message,) = smtp_sink.messages
    text, html, _ics, _images = parts(message)
    assert "<script>" not in html and "<img src=x" not in html and "<b>bold" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in html
    # Plain text and the subject are not HTML: shown as typed.
    assert '<script>alert("x")</script> & <b>bold</b>' in text
    assert subject(message).startswith('Invitation: <script>alert("x")</script> & <b>bold</b>')


def test_a_title_cannot_inject_a_header(
    bob, acme_hq, smtp_sink, django_capture_on_commit_callbacks
):
    evil = "Hello\r\nBcc: x@evil.test\r\nX-Evil: 1"
    with django_capture_on_commit_callbacks(execute=True):
        create(
            bob,
            acme_hq,
            title=evil,
            guests=[GuestInfo("ann@example.org", "Ann\r\nCc: y@evil.test")],
        )
    (received,) = smtp_sink.received
    message = received.message
    assert received.rcpt_tos == ("ann@example.org",)
    assert message["Bcc"] is None and message["Cc"] is None and message["X-Evil"] is None
    assert "\n" not in subject(message) and "\r" not in subject(message)
    assert "Bcc: x@evil.test" in subject(message)  # harmless text inside the one line


def test_long_titles_are_cut(bob, acme_hq, smtp_sink, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        create(bob, acme_hq, title="A" * 1000, guests=GUESTS[:1])
    (message,) = smtp_sink.messages
    text, html, _ics, _images = parts(message)
    assert "A" * 301 not in text and "A" * 301 not in html and "A" * 301 not in subject(message)
    assert "A" * 200 in subject(message)
