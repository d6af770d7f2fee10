"""Delivery: never lost, never doubled, one connection per batch, failures visible."""

from datetime import timedelta

import pytest

from portier.invitations.services import guest_statuses
from portier.invitations.tests.helpers import GUEST_EMAILS, future, rows
from portier.invitations.tests.test_invitations import create
from portier.outbox import delivery, tasks
from portier.outbox.models import Notification, Status

pytestmark = pytest.mark.django_db


def test_one_smtp_connection_for_a_batch(bob, acme_hq, smtp_sink):
    create(bob, acme_hq)  # rows written; no commit callback ran
    report = delivery.deliver_due()
    assert (report.sent, len(smtp_sink.messages), len(smtp_sink.connections)) == (3, 3, 1)


def test_smtp_down_for_a_while_then_each_delivered_once(
    bob, acme_hq, smtp_sink, time_machine, django_capture_on_commit_callbacks
):
    smtp_sink.stop()
    start = future(days=1, hour=8)
    time_machine.move_to(start, tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        appointment = create(bob, acme_hq)
    queued = rows(appointment=appointment)
    assert all(r.status == Status.QUEUED for r in queued)
    assert sum(r.attempts for r in queued) == 1  # the batch stopped at the first failure
    assert all(r.next_attempt_at > start for r in queued)
    assert "unreachable" in queued[0].last_error
    assert guest_statuses(appointment)["ann@example.org"].status == Status.QUEUED

    for minutes in (1, 2, 4, 8):  # the sweep every minute; still down
        time_machine.shift(timedelta(minutes=minutes))
        tasks.sweep_outbox()
    assert Notification.objects.filter(status=Status.QUEUED).count() == 3

    smtp_sink.start()
    time_machine.shift(timedelta(hours=1))
    tasks.sweep_outbox()
    tasks.sweep_outbox()
    assert sorted(r.rcpt_tos[0] for r in smtp_sink.received) == sorted(GUEST_EMAILS)
    assert all(r.status == Status.SENT for r in rows(appointment=appointment))


def test_temporary_answers_are_retried(bob, acme_hq, smtp_sink, time_machine):
    time_machine.move_to(future(days=1, hour=8), tick=False)
    create(bob, acme_hq, guests=[])
    from portier.visits.services import GuestInfo

    for code in (451, 421):
        smtp_sink.fail_temporarily(code)
        appointment = create(bob, acme_hq, guests=[GuestInfo(f"t{code}@example.org")])
        delivery.deliver_due()
        (row,) = rows(appointment=appointment)
        assert row.status == Status.QUEUED and row.last_error.startswith(str(code))
        smtp_sink.recover()
        time_machine.shift(timedelta(minutes=2))
        delivery.deliver_due()
        row.refresh_from_db()
        assert (row.status, row.attempts) == (Status.SENT, 2)
    assert len(smtp_sink.messages) == 2


def test_after_24_hours_of_trying_the_row_fails(bob, acme_hq, smtp_sink, time_machine):
    time_machine.move_to(future(days=1, hour=8), tick=False)
    smtp_sink.fail_temporarily(451)
    appointment = create(bob, acme_hq, start=future(days=4))
    delays = []
    for _ in range(60):
        delivery.deliver_due()
        row = rows(appointment=appointment)[0]
        if row.status != Status.QUEUED:
            break
        delays.append(row.next_attempt_at - row.updated)
        time_machine.move_to(row.next_attempt_at, tick=False)
    assert row.status == Status.FAILED
    assert row.last_error.startswith("gave up after 24 hours: 451")
    assert delays[:4] == [timedelta(seconds=s) for s in (5, 10, 20, 40)]
    assert max(delays) == timedelta(hours=1)
    assert smtp_sink.messages == []


def test_a_refused_recipient_fails_at_once_and_is_visible(
    bob, acme_hq, smtp_sink, django_capture_on_commit_callbacks
):
    smtp_sink.refuse("ben@example.net")
    with django_capture_on_commit_callbacks(execute=True):
        appointment = create(bob, acme_hq)
    statuses = guest_statuses(appointment)
    assert statuses["ben@example.net"].status == Status.FAILED
    assert statuses["ben@example.net"].last_error.startswith("550 5.1.1")
    assert statuses["ben@example.net"].attempts == 1
    assert statuses["ann@example.org"].status == Status.SENT
    assert len(smtp_sink.messages) == 2  # and the connection went on after the refusal
    assert len(smtp_sink.connections) == 1


def test_two_workers_never_claim_the_same_row(bob, acme_hq, smtp_sink):
    appointment = create(bob, acme_hq, guests=[])
    from portier.visits.services import GuestInfo, update_appointment

    update_appointment(appointment=appointment, guests=[GuestInfo("ann@example.org")])
    (row,) = rows()
    now = row.next_attempt_at + timedelta(seconds=1)
    assert delivery.claim(row.pk, now) is not None
    assert delivery.claim(row.pk, now) is None
    assert delivery.deliver_due(now=now).sent == 0


def test_a_worker_dying_mid_send_delays_but_never_loses_or_doubles(
    bob, acme_hq, smtp_sink, time_machine
):
    time_machine.move_to(future(days=1, hour=8), tick=False)
    appointment = create(bob, acme_hq)
    first, *_rest = rows(appointment=appointment)
    # A worker claimed the first row and died before sending it.
    assert delivery.claim(first.pk, first.next_attempt_at) is not None
    report = delivery.deliver_due()
    assert (report.sent, report.busy) == (2, 0)
    tasks.sweep_outbox()  # not yet: it might still be sending
    assert Notification.objects.get(pk=first.pk).status == Status.SENDING
    time_machine.shift(delivery.LEASE + timedelta(seconds=1))
    tasks.sweep_outbox()
    tasks.sweep_outbox()
    assert sorted(r.rcpt_tos[0] for r in smtp_sink.received) == sorted(GUEST_EMAILS)


def test_a_slow_worker_whose_row_was_handed_on_does_not_overwrite_it(
    bob, acme_hq, smtp_sink, time_machine
):
    """Worker A claims a row and hangs past its lease; the sweep hands the row to worker B,
    which sends it. When A comes back, its outcome must not overwrite B's."""
    time_machine.move_to(future(days=1, hour=8), tick=False)
    appointment = create(bob, acme_hq, guests=[])
    from portier.visits.services import GuestInfo, update_appointment

    update_appointment(appointment=appointment, guests=[GuestInfo("ann@example.org")])
    (row,) = rows()
    slow = delivery.claim(row.pk, row.next_attempt_at)
    time_machine.shift(delivery.LEASE + timedelta(seconds=1))
    tasks.sweep_outbox()  # releases the row and worker B sends it
    assert Notification.objects.get(pk=row.pk).status == Status.SENT
    delivery.finish(slow, status=Status.FAILED, last_error="timeout")  # A, much later
    assert Notification.objects.get(pk=row.pk).status == Status.SENT
    assert len(smtp_sink.messages) == 1
