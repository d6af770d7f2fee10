"""Sending the outbox: claim a due row, ask its kind's planner with fresh data what to send,
send over one SMTP connection per batch, record the outcome. Temporary SMTP errors back off for
up to 24 hours; a refused recipient (5xx) fails the row at once, with the server's answer as the
reason.

Two workers never send the same row: a row is claimed by one conditional UPDATE
(queued -> sending), on PostgreSQL after `SELECT ... FOR UPDATE SKIP LOCKED`; a guest's rows
of one lane are sent one at a time (the lane's first row is locked while claiming).

Recovery is part of the promise. A claim is a short lease (`LEASE`), renewed while the row is
being sent: a worker killed mid-batch leaves its row claimed for at most that long, and the next
delivery run (any worker's: after a commit, the minute's sweep, a restarted worker's first run)
takes it back. What a claim sends is kept on the row before it goes out (`pending.py`): the
claim after a kill sends those bytes again, and the row is marked with what they said. The
first retries after a temporary failure come within seconds and then back off, each with a run
of its own when it is due before the next sweep (`tasks.py`).
"""

import logging
import smtplib
import threading
import time
from dataclasses import dataclass
from datetime import timedelta

from django.core.mail import get_connection
from django.db import connection, connections, transaction
from django.db.models import F
from django.utils import timezone

from portier.outbox import compose, pending, registry
from portier.outbox.models import Notification, Status

log = logging.getLogger(__name__)

BATCH = 200
BATCH_TIME = timedelta(minutes=5)  # then the rest waits for the next run: workers take turns
GIVE_UP_AFTER = timedelta(hours=24)
FIRST_RETRY = timedelta(seconds=5)  # then 10 s, 20 s, 40 s ... up to MAX_DELAY
MAX_DELAY = timedelta(hours=1)
LEASE = timedelta(seconds=30)  # a "sending" row not renewed for this long: its worker died
RENEW_EVERY = LEASE / 3


@dataclass
class Report:
    sent: int = 0
    failed: int = 0
    skipped: int = 0
    retried: int = 0
    busy: int = 0
    released: int = 0  # rows of dead workers taken back
    next_attempt: object = None  # the earliest retry this run scheduled


class _Sender:
    """One SMTP connection for the batch, opened on first use, reopened after it broke."""

    def __init__(self):
        self.connection = None

    def send(self, message) -> None:
        if self.connection is None:
            self.connection = get_connection(fail_silently=False)
            self.connection.open()
        try:
            self.connection.send_messages([message])
        except smtplib.SMTPRecipientsRefused:
            raise  # the server said no to this address and reset: the connection is fine
        except Exception:
            self.close()
            raise

    def close(self) -> None:
        if self.connection is not None:
            try:
                self.connection.close()
            finally:
                self.connection = None


def classify(exc: Exception) -> tuple[bool, bool, str]:
    """(permanent, connection_down, reason) for an error raised while sending."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        answers = list(exc.recipients.values())
        reason = "; ".join(f"{code} {_text(msg)}" for code, msg in answers)
        return all(500 <= code < 600 for code, _m in answers), False, reason
    if isinstance(exc, smtplib.SMTPDataError) and 500 <= exc.smtp_code < 600:
        return True, False, f"{exc.smtp_code} {_text(exc.smtp_error)}"
    if isinstance(exc, smtplib.SMTPResponseException):
        return False, exc.smtp_code == 421, f"{exc.smtp_code} {_text(exc.smtp_error)}"
    if isinstance(exc, smtplib.SMTPServerDisconnected | OSError):
        return False, True, f"mail server unreachable: {exc}"
    return False, False, f"{type(exc).__name__}: {exc}"


def _text(value) -> str:
    return value.decode(errors="replace") if isinstance(value, bytes) else str(value)


def claim(pk: int, now) -> Notification | None:
    features = connection.features
    with transaction.atomic():
        rows = Notification.objects.filter(pk=pk, status=Status.QUEUED, next_attempt_at__lte=now)
        if features.has_select_for_update_skip_locked:
            rows = rows.select_for_update(skip_locked=True)
        row = rows.only("pk", "lane").first()
        if row is None:
            return None
        lane = Notification.objects.filter(lane=row.lane)
        if features.has_select_for_update:
            # Serialises claims within a lane; lock order (head, then nothing) cannot deadlock.
            head = lane.order_by("pk").select_for_update().values_list("pk", flat=True).first()
            assert head is not None
        if lane.filter(status=Status.SENDING).exclude(pk=pk).exists():
            return None  # an earlier e-mail to this guest is on its way: keep order
        # The lease starts at the real moment, not the batch's start. `attempts` counts claims:
        # it tells this claim from a later one (see `finish`).
        claimed = Notification.objects.filter(pk=pk, status=Status.QUEUED).update(
            status=Status.SENDING, attempts=F("attempts") + 1, claimed_at=timezone.now()
        )
    if not claimed:
        return None
    return Notification.objects.select_related("series__company").get(pk=pk)


def finish(row, **fields) -> None:
    # Only our own claim: if our lease ran out and another worker claimed the row, it decides.
    Notification.objects.filter(pk=row.pk, status=Status.SENDING, attempts=row.attempts).update(
        claimed_at=None, updated=timezone.now(), **fields
    )


def renew(row) -> bool:
    """Extend our claim's lease; False when it is no longer ours."""
    mine = Notification.objects.filter(pk=row.pk, status=Status.SENDING, attempts=row.attempts)
    return bool(mine.update(claimed_at=timezone.now()))


class Lease:
    """Renews a claimed row's lease every RENEW_EVERY while it is composed and sent, from a
    timer thread (SMTP waits release the GIL): the database hears of it only when sending takes
    that long, and a killed worker's timer dies with it."""

    def __init__(self, row, every: timedelta = RENEW_EVERY):
        self.row = row
        self.every = every
        self.stopped = threading.Event()
        self.timer: threading.Timer | None = None

    def __enter__(self):
        self._arm()
        return self

    def __exit__(self, *exc_info):
        self.stopped.set()
        if self.timer is not None:
            self.timer.cancel()

    def _arm(self) -> None:
        self.timer = threading.Timer(self.every.total_seconds(), self._tick)
        self.timer.daemon = True
        self.timer.start()

    def _tick(self) -> None:
        try:
            if not self.stopped.is_set():
                renew(self.row)
        except Exception:
            log.exception("could not renew the lease of e-mail %s", self.row.pk)
        finally:
            connections.close_all()  # this thread's own connections
        if not self.stopped.is_set():
            self._arm()


def retry_delay(attempts: int) -> timedelta:
    """After the n-th failed attempt: 5 s, 10 s, 20 s, ... at most MAX_DELAY. Quick at first,
    so mail flows again within seconds of a short outage's end."""
    return min(FIRST_RETRY * 2 ** min(max(attempts - 1, 0), 20), MAX_DELAY)


def _retry(row, now, reason: str, **fields) -> tuple[str, object]:
    if now - row.created >= GIVE_UP_AFTER:
        finish(
            row,
            status=Status.FAILED,
            last_error=f"gave up after 24 hours: {reason}"[:2000],
            **fields,
        )
        return "failed", None
    next_attempt = min(now + retry_delay(row.attempts), row.created + GIVE_UP_AFTER)
    finish(
        row,
        status=Status.QUEUED,
        next_attempt_at=next_attempt,
        last_error=reason[:2000],
        **fields,
    )
    return "retried", next_attempt


def deliver(row, sender: _Sender, now) -> tuple[str, bool, object]:
    """Send one claimed row; returns (outcome, connection_down, next_attempt)."""
    # An earlier claim that never heard back may have sent it: the same e-mail again.
    again = pending.kept(row)
    if again is not None:
        message, decision = again
    else:
        try:
            decision = registry.plan(row)
            if isinstance(decision, registry.Skip):
                finish(row, status=Status.SKIPPED, last_error=decision.reason[:2000])
                return "skipped", False, None
            message = compose.email(decision, message_id=row.message_id, date=row.created)
            ours = pending.keep(row, message, decision)
        except Exception as exc:  # a bug or bad data: keep the row, retry later, say why
            log.exception("could not compose e-mail %s", row.pk)
            outcome, when = _retry(row, now, f"could not compose: {type(exc).__name__}: {exc}")
            return outcome, False, when
        if not ours:
            return "busy", False, None  # our lease ran out: another worker has it
    data = pending.without(row.data)
    try:
        sender.send(message)
    except Exception as exc:
        permanent, down, reason = classify(exc)
        log.warning("e-mail %s to %s: %s", row.pk, row.recipient, reason)
        if permanent:
            finish(row, status=Status.FAILED, last_error=reason[:2000], data=data)
            return "failed", False, None
        # The server said it did not take it: the retry plans anew, with fresh data.
        outcome, when = _retry(row, now, reason, data=data)
        return outcome, down, when
    finish(
        row,
        status=Status.SENT,
        kind=decision.kind or row.kind,
        sent_at=timezone.now(),
        sent_version=decision.sent_version,
        data={**data, **decision.data},
        last_error="",
    )
    if decision.folds:
        Notification.objects.filter(pk__in=decision.folds, status=Status.QUEUED).update(
            status=Status.SKIPPED, last_error=f"folded into e-mail {row.pk}"
        )
    return "sent", False, None


def deliver_due(*, now=None, limit: int = BATCH) -> Report:
    """Send what is due, oldest first. Safe to run in several workers at once."""
    now = now or timezone.now()
    report = Report(released=release_stuck(now))
    due = list(Notification.objects.due(now).order_by("pk").values_list("pk", flat=True)[:limit])
    sender = _Sender()
    batch_started = time.monotonic()
    try:
        for index, pk in enumerate(due):
            if time.monotonic() - batch_started > BATCH_TIME.total_seconds():
                break
            # Due by the clock now, not at the batch's start: see below.
            row = claim(pk, max(now, timezone.now()))
            if row is None:
                report.busy += 1
                continue
            with Lease(row):
                outcome, down, next_attempt = deliver(row, sender, now)
            setattr(report, outcome, getattr(report, outcome) + 1)
            if outcome != "retried":
                # The guest's next e-mail, written while this one was on its way, found the
                # lane busy when its own delivery ran: take it in this batch instead of leaving
                # it for the next change or the minute's sweep (docs/performance.md §1).
                due += (
                    Notification.objects.due(max(now, timezone.now()))
                    .filter(lane=row.lane, pk__gt=row.pk)
                    .exclude(pk__in=due)
                    .order_by("pk")
                    .values_list("pk", flat=True)
                )
            if next_attempt is not None and (
                report.next_attempt is None or next_attempt < report.next_attempt
            ):
                report.next_attempt = next_attempt
            if down:
                # The server is away: everything else waits as long as this row does.
                Notification.objects.filter(pk__in=due[index + 1 :], status=Status.QUEUED).update(
                    next_attempt_at=next_attempt
                )
                break
    finally:
        sender.close()
    return report


def release_stuck(now=None) -> int:
    """Rows whose lease ran out (their worker died) go back to the queue, due at once."""
    now = now or timezone.now()
    return Notification.objects.filter(status=Status.SENDING, claimed_at__lt=now - LEASE).update(
        status=Status.QUEUED, claimed_at=None, next_attempt_at=now
    )
