"""Inviting a colleague: the e-mail is an outbox row, sent once, never carrying a stored token."""

import json

from django.core import mail

from portier.companies.services import invite_colleague
from portier.outbox.delivery import deliver_due
from portier.outbox.models import Notification


def test_the_invitation_is_an_outbox_row_without_the_token(acme, alice):
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = False  # keep it queued until we deliver by hand
    try:
        dan = invite_colleague(
            company=acme, invited_by=alice, email="dan@acme.example", role="host"
        )
    finally:
        HUEY.immediate = True
    row = Notification.objects.get(kind="colleague-invite")
    assert row.recipient == "dan@acme.example" and row.status == "queued"
    assert "/reset/" not in json.dumps(row.data)  # the one-time link is made at send time
    deliver_due()
    [message] = mail.outbox
    assert message.to == ["dan@acme.example"] and "/reset/" in message.body
    assert "Acme" in message.subject
    row.refresh_from_db()
    assert row.status == "sent"
    deliver_due()
    assert len(mail.outbox) == 1
    assert dan.membership.company == acme


def test_no_invitation_once_the_colleague_chose_a_password(acme, alice):
    from huey.contrib.djhuey import HUEY

    HUEY.immediate = False
    try:
        dan = invite_colleague(
            company=acme, invited_by=alice, email="dan@acme.example", role="host"
        )
    finally:
        HUEY.immediate = True
    dan.set_password("chosen-by-dan-42")
    dan.save()
    deliver_due()
    assert mail.outbox == []
    assert Notification.objects.get(kind="colleague-invite").status == "skipped"
