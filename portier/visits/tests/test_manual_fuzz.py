"""Fuzzing the manual invitation form with any text in its fields: the answer is the form with
what is wrong, or an appointment whose invitations went out with clean headers. Never a 500, no
outbox row failed, no line break in a header."""

import email
import os
from email.policy import default

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portier.outbox.models import Notification
from portier.testing.db import rolled_back
from portier.visits.models import Appointment
from portier.visits.tests.test_manual_invitations import NEW, form_data

EXAMPLES = int(os.environ.get("PORTIER_FUZZ_EXAMPLES", "80"))
# Any text a browser can send, line breaks and control characters included.
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)
NAME = st.one_of(st.sampled_from(["Ann", "Zoë", "O'Brien", "Ann\r\nBcc: x@evil.example"]), TEXT)
EMAIL = st.one_of(
    st.emails(),
    st.sampled_from(
        [
            "ann@example.org",
            "ann@example.org\r\nBcc: x@evil.example",
            "ann@example.org, ben@example.net",
            '"Ann" <ann@example.org>',
            "ann@例え.jp",
            "ännä@example.org",
            "@example.org",
            "",
        ]
    ),
    TEXT,
)
GUEST = st.tuples(NAME, NAME, EMAIL)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(title=TEXT, description=TEXT, guests=st.lists(GUEST, min_size=1, max_size=3))
def test_any_text_in_the_form_gives_errors_or_clean_invitations(
    bob_client, acme_hq, mailoutbox, django_capture_on_commit_callbacks, title, description, guests
):
    mailoutbox.clear()
    data = form_data(acme_hq, guests=guests, title=title, description=description)
    with rolled_back():
        with django_capture_on_commit_callbacks(execute=True):
            response = bob_client.post(NEW, data)
        assert response.status_code in (200, 302)
        if response.status_code == 200:
            context = response.context
            errors = [context["form"].errors, *context["formset"].errors]
            assert any(errors) or context["formset"].non_form_errors(), "200 without a reason"
            assert not Appointment.objects.exists()
            return
        assert Appointment.objects.count() == 1
        assert not Notification.objects.exclude(status="sent").exists()
        for message in mailoutbox:
            # As the receiving side reads it: decoded, unfolded, and no header smuggled in.
            parsed = email.message_from_bytes(message.message().as_bytes(), policy=default)
            assert "Bcc" not in parsed and "Cc" not in parsed
            assert len(parsed.get_all("To")) == 1
            for name in ("Subject", "To", "From", "Reply-To"):
                value = str(parsed[name] or "")
                assert "\r" not in value and "\n" not in value, (name, value)


def test_a_guest_at_an_internationalized_domain_gets_the_invitation(
    bob_client, acme_hq, mailoutbox, django_capture_on_commit_callbacks
):
    """Found by the fuzz test above: the form accepted ann@例え.jp, then composing the e-mail
    failed on every retry (formataddr wants ASCII) and the guest never heard of the visit."""
    with django_capture_on_commit_callbacks(execute=True):
        bob_client.post(NEW, form_data(acme_hq, guests=[("Ann", "Arbor", "ann@例え.jp")]))
    assert Notification.objects.get().status == "sent"
    assert mailoutbox[0].to == ["Ann Arbor <ann@xn--r8jz45g.jp>"]
