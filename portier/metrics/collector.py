"""What /metrics reports, computed from the database and the queue at scrape time.

The web server (gunicorn, several processes) and the worker (Huey) are separate processes, so
in-memory counters would each see a part. Everything here is read from rows instead: the
outbox, the calendars, the queue's storage. One scrape costs four SQL queries, whatever the
number of rows they aggregate, and two calls to the queue's storage.
"""

from datetime import timedelta

from django.db.models import Count, DurationField, ExpressionWrapper, F, Max, Min, Q, Sum
from django.utils import timezone
from prometheus_client.core import (
    CounterMetricFamily,
    GaugeMetricFamily,
    HistogramMetricFamily,
)

from portier.integrations.models import SYNCABLE, Calendar, Status
from portier.invitations.kinds import GUEST_KINDS
from portier.outbox.models import Notification
from portier.outbox.models import Status as Mail

# Seconds from an outbox row being written (by the sync, within its transaction) to the SMTP
# server accepting the e-mail.
LATENCY_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0)


class PortierCollector:
    """A prometheus_client collector (registered on a registry of its own in probes.py)."""

    def collect(self):
        now = timezone.now()
        yield from _outbox(now)
        yield _emails()
        yield _latency()
        yield from _calendars(now)
        yield from _queue()


def _outbox(now):
    # Only unsent rows: the (status, next_attempt_at) index keeps this small as the outbox grows.
    row = Notification.objects.filter(status__in=(Mail.QUEUED, Mail.SENDING)).aggregate(
        queued=Count("pk", filter=Q(status=Mail.QUEUED)),
        due=Count("pk", filter=Q(status=Mail.QUEUED, next_attempt_at__lte=now)),
        sending=Count("pk", filter=Q(status=Mail.SENDING)),
        oldest_due=Min("next_attempt_at", filter=Q(status=Mail.QUEUED, next_attempt_at__lte=now)),
    )
    depth = GaugeMetricFamily(
        "portier_outbox_rows", "E-mails in the outbox not sent yet.", labels=["state"]
    )
    depth.add_metric(["due"], row["due"])
    depth.add_metric(["waiting"], row["queued"] - row["due"])  # retries backing off
    depth.add_metric(["sending"], row["sending"])
    yield depth
    oldest = row["oldest_due"]
    yield GaugeMetricFamily(
        "portier_outbox_oldest_due_seconds",
        "How long the oldest due e-mail has been due (0 when none is).",
        value=max(0.0, (now - oldest).total_seconds()) if oldest else 0.0,
    )


def _emails():
    counts = (
        Notification.objects.filter(status__in=(Mail.SENT, Mail.FAILED))
        .values("kind", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    family = CounterMetricFamily(
        "portier_emails",
        "E-mails sent or failed for good, by kind (counted from outbox rows: a row removed by "
        "retention lowers it, which Prometheus reads as a counter reset).",
        labels=["kind", "status"],
    )
    for row in counts:
        family.add_metric([row["kind"], row["status"]], row["n"])
    return family


def _latency():
    sent = Notification.objects.filter(
        status=Mail.SENT, sent_at__isnull=False, kind__in=GUEST_KINDS
    )
    buckets = {
        f"b{i}": Count("pk", filter=Q(sent_at__lte=F("created") + timedelta(seconds=le)))
        for i, le in enumerate(LATENCY_BUCKETS)
    }
    took = ExpressionWrapper(F("sent_at") - F("created"), output_field=DurationField())
    row = sent.aggregate(total=Count("pk"), took=Sum(took), **buckets)
    cumulative = [row[f"b{i}"] for i in range(len(LATENCY_BUCKETS))] + [row["total"]]
    family = HistogramMetricFamily(
        "portier_guest_email_latency_seconds",
        "Guest e-mails sent: outbox row written (with the change, by the sync) -> accepted "
        "by the SMTP server. The push -> sync part is portier_sync_lag_seconds.",
    )
    family.add_metric(
        [],
        [(str(le), cumulative[i]) for i, le in enumerate(LATENCY_BUCKETS)]
        + [("+Inf", cumulative[-1])],
        sum_value=row["took"].total_seconds() if row["took"] else 0.0,
    )
    return family


def _calendars(now):
    recent = now - timedelta(hours=1)
    rows = (
        Calendar.objects.filter(selected=True)
        .values("connection__provider")
        .annotate(
            calendars=Count("pk"),
            reconnect=Count("pk", filter=Q(connection__status=Status.NEEDS_RECONNECT)),
            expiring=Count(
                "pk",
                filter=Q(channel_expires_at__lt=now + timedelta(days=1))
                & ~Q(channel_id="")
                & Q(connection__status__in=SYNCABLE),
            ),
            oldest_push=Min("push_received_at"),
            lag=Max("push_lag_seconds", filter=Q(synced_at__gte=recent)),
        )
        .order_by()
    )
    synced = GaugeMetricFamily(
        "portier_calendars", "Calendars being synced, by source.", labels=["source"]
    )
    reconnect = GaugeMetricFamily(
        "portier_calendars_needing_reconnect",
        "Synced calendars whose connection needs the host to reconnect.",
        labels=["source"],
    )
    expiring = GaugeMetricFamily(
        "portier_channels_expiring_within_a_day",
        "Push channels that expire within 24 hours (renewal runs every 15 minutes).",
        labels=["source"],
    )
    lag = GaugeMetricFamily(
        "portier_sync_lag_seconds",
        "Push received -> sync done: the slowest of the last hour's syncs after a push.",
        labels=["source"],
    )
    pending = GaugeMetricFamily(
        "portier_sync_push_pending_seconds",
        "Age of the oldest push that no finished sync has covered yet (0: none).",
        labels=["source"],
    )
    for row in rows:
        source = row["connection__provider"]
        synced.add_metric([source], row["calendars"])
        reconnect.add_metric([source], row["reconnect"])
        expiring.add_metric([source], row["expiring"])
        lag.add_metric([source], row["lag"] or 0.0)
        oldest = row["oldest_push"]
        pending.add_metric([source], (now - oldest).total_seconds() if oldest else 0.0)
    yield from (synced, reconnect, expiring, lag, pending)


def _queue():
    from huey.contrib.djhuey import HUEY

    depth = GaugeMetricFamily(
        "portier_queue_tasks", "Background tasks in the queue.", labels=["state"]
    )
    depth.add_metric(["pending"], HUEY.pending_count())
    depth.add_metric(["scheduled"], HUEY.scheduled_count())  # retries and delayed tasks
    yield depth
