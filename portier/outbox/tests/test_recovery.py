"""Recovery time is part of the promise: a killed worker's e-mail goes out as soon as its short
lease runs out, identical to the byte; after an outage the first retries come within seconds."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone
from huey.contrib.djhuey import HUEY

from portier.invitations.tests.helpers import GUEST_EMAILS, GUESTS, future, rows
from portier.invitations.tests.test_invitations import create
from portier.outbox import compose, delivery, registry, services, tasks
from portier.outbox.models import Notification, Status

pytestmark = pytest.mark.django_db


def _scheduled_deliveries() -> int:
    return sum(type(t).__name__ == "deliver_outbox" for t in HUEY.scheduled())


def _killed_while_sending(row):
    """Worker A claims the row, hands the e-mail to the server, and is killed before it can
    record that: the row stays 'sending' and the recipient has the e-mail."""
    claimed = delivery.claim(row.pk, row.next_attempt_at)
    assert claimed is not None
    compose.email(
        registry.plan(claimed), message_id=claimed.message_id, date=claimed.created
    ).send()
    return claimed


def test_a_killed_workers_row_goes_out_once_its_lease_ran_out_byte_for_byte(
    bob, acme_hq, smtp_sink, time_machine
):
    time_machine.move_to(future(days=1, hour=8), tick=False)
    appointment = create(bob, acme_hq)
    first, *_rest = rows(appointment=appointment)
    _killed_while_sending(first)

    report = delivery.deliver_due()  # another run, at once: the lease still holds
    assert (report.sent, report.released) == (2, 0)
    assert Notification.objects.get(pk=first.pk).status == Status.SENDING

    time_machine.shift(delivery.LEASE + timedelta(seconds=1))
    report = delivery.deliver_due()  # any run, not only the sweep, takes it back
    assert (report.released, report.sent) == (1, 1)
    assert Notification.objects.get(pk=first.pk).status == Status.SENT
    assert sorted(r.rcpt_tos[0] for r in smtp_sink.received) == sorted(
        [*GUEST_EMAILS, first.recipient]
    )
    killed, repeat = smtp_sink.messages_to(first.recipient)
    assert killed["Message-ID"] == repeat["Message-ID"] == first.message_id
    assert killed.as_bytes() == repeat.as_bytes()


def test_a_renewed_lease_keeps_the_row_with_its_worker(bob, acme_hq, smtp_sink, time_machine):
    time_machine.move_to(future(days=1, hour=8), tick=False)
    appointment = create(bob, acme_hq, guests=[])
    from portier.visits.services import GuestInfo, update_appointment

    update_appointment(appointment=appointment, guests=[GuestInfo("ann@example.org")])
    (row,) = rows()
    claimed = delivery.claim(row.pk, row.next_attempt_at)
    for _ in range(4):  # sending takes long, but the worker is alive and renews
        time_machine.shift(delivery.RENEW_EVERY)
        assert delivery.renew(claimed)
    assert delivery.deliver_due().released == 0
    assert Notification.objects.get(pk=row.pk).status == Status.SENDING

    time_machine.shift(delivery.LEASE + timedelta(seconds=1))  # now it died
    assert delivery.deliver_due().sent == 1
    assert not delivery.renew(claimed)  # the row went to another claim: no longer its own
    assert len(smtp_sink.messages) == 1


def test_the_first_retries_come_within_seconds_then_back_off():
    delays = [delivery.retry_delay(n).total_seconds() for n in range(1, 12)]
    assert delays[:3] == [5, 10, 20]
    assert delays == sorted(delays)
    assert delivery.retry_delay(100) == delivery.MAX_DELAY


def test_after_a_20_second_outage_mail_flows_within_30_seconds(
    bob, acme_hq, smtp_sink, time_machine, django_capture_on_commit_callbacks
):
    start = future(days=1, hour=8)
    time_machine.move_to(start, tick=False)
    smtp_sink.stop()
    outage_ends = start + timedelta(seconds=20)
    scheduled = _scheduled_deliveries()
    with django_capture_on_commit_callbacks(execute=True):
        appointment = create(bob, acme_hq)
    # The retry is due before the minute's sweep: the failed run scheduled one of its own.
    assert _scheduled_deliveries() == scheduled + 1
    while Notification.objects.filter(status=Status.QUEUED).exists():
        due = min(r.next_attempt_at for r in rows(appointment=appointment))
        time_machine.move_to(due, tick=False)
        if due >= outage_ends and not smtp_sink.running:
            smtp_sink.start()
        delivery.deliver_due()
        assert due - start < timedelta(minutes=5)
    assert due - outage_ends <= timedelta(seconds=30)
    assert sorted(r.rcpt_tos[0] for r in smtp_sink.received) == sorted(GUEST_EMAILS)


def test_a_run_that_retried_nothing_schedules_nothing():
    before = _scheduled_deliveries()
    tasks.follow_up(delivery.Report())
    assert _scheduled_deliveries() == before


def test_a_starting_worker_sends_what_is_due_and_comes_back_after_the_lease(
    bob, acme_hq, smtp_sink
):
    create(bob, acme_hq)  # queued; the wake-up was lost with the worker that died
    before = _scheduled_deliveries()
    tasks.deliver_after_a_restart()
    assert sorted(r.rcpt_tos[0] for r in smtp_sink.received) == sorted(GUEST_EMAILS)
    assert _scheduled_deliveries() == before + 1


@pytest.mark.django_db(transaction=True)
def test_while_a_send_takes_long_the_lease_is_renewed_from_another_thread(bob):
    """Committed rows (the timer thread has its own database connection)."""
    row = services.write(
        "lease:1",
        wake=False,
        kind="test-lease",
        company=bob.company,
        lane="t:l",
        recipient="l@x.org",
    )
    claimed = delivery.claim(row.pk, row.next_attempt_at)
    with delivery.Lease(claimed, every=timedelta(milliseconds=20)):
        deadline = time.monotonic() + 10
        while Notification.objects.get(pk=row.pk).claimed_at == claimed.claimed_at:
            assert time.monotonic() < deadline, "the lease was never renewed"
            time.sleep(0.02)
    renewed = Notification.objects.get(pk=row.pk)
    assert (renewed.status, renewed.attempts) == (Status.SENDING, claimed.attempts)


def test_a_guests_next_e_mail_written_during_a_send_is_handled_in_the_same_batch(
    bob, acme_hq, smtp_sink
):
    """Two worker threads: B's delivery found the lane busy while A sent the guest's first
    e-mail, and A's batch held only the rows due when it started; the second e-mail waited for
    the minute's sweep (28 s seen in bench/latency.py). Now A takes it after the first."""
    appointment = create(bob, acme_hq, guests=[])
    from portier.visits.services import GuestInfo, update_appointment

    update_appointment(appointment=appointment, guests=[GuestInfo("dee@partner.example", "Dee")])
    batch_start = timezone.now()
    time.sleep(0.01)
    first = Notification.objects.get(recipient="dee@partner.example")
    # The update, written after the batch started (as the sync of the next change writes it).
    appointment.refresh_from_db()
    update_appointment(appointment=appointment, title="Moved")
    second = Notification.objects.exclude(pk=first.pk).get(recipient="dee@partner.example")
    assert second.next_attempt_at > batch_start

    report = delivery.deliver_due(now=batch_start)
    # The invitation, planned as it goes out, already shows the new title: the update it
    # folded is settled (skipped, with its reason) in the same batch, not left queued.
    assert (report.sent, report.skipped) == (1, 1)
    assert Notification.objects.get(pk=second.pk).status == Status.SKIPPED
    assert "Moved" in smtp_sink.messages_to("dee@partner.example")[0]["Subject"]


def test_a_killed_workers_invitation_counts_as_sent_when_the_visit_is_then_cancelled(
    bob, acme_hq, smtp_sink, time_machine
):
    """Found by the simulation as sent-unmarked-row-counts-as-never-sent (and its
    repeat-after-kill-says-something-else): the retry planned anew skipped the invitation
    ("cancelled"), so the cancellation was skipped too ("never invited")."""
    from portier.outbox import pending
    from portier.visits.services import cancel_appointment

    time_machine.move_to(future(days=1, hour=8), tick=False)
    appointment = create(bob, acme_hq, guests=[GUESTS[0]])
    (first,) = rows(appointment=appointment)
    claimed = delivery.claim(first.pk, first.next_attempt_at)
    mail = compose.email(
        registry.plan(claimed), message_id=claimed.message_id, date=claimed.created
    )
    assert pending.keep(claimed, mail, registry.plan(claimed))
    mail.send()  # accepted; the worker is killed before it marks the row
    cancel_appointment(appointment=appointment)

    time_machine.shift(delivery.LEASE + timedelta(seconds=1))
    report = delivery.deliver_due()
    assert (report.released, report.sent) == (1, 2)
    invitation, repeat, cancellation = smtp_sink.messages_to(first.recipient)
    assert invitation.as_bytes() == repeat.as_bytes()
    assert "Cancelled:" in cancellation["Subject"]
    assert pending.KEY not in Notification.objects.get(pk=first.pk).data
