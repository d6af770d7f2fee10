"""What /metrics says, read back with prometheus_client's own parser."""

import itertools
from datetime import timedelta

from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from portier.checkin.notices import HOST_ARRIVAL
from portier.integrations.models import Calendar, Connection, Status
from portier.invitations.kinds import Kind
from portier.outbox.models import Notification
from portier.outbox.models import Status as Mail

TOKEN = "metrics-token-for-tests-0123456789"
_n = itertools.count()


def scrape(client, settings) -> dict:
    settings.PORTIER_METRICS_TOKEN = TOKEN
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    samples = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            key = (sample.name, tuple(sorted(sample.labels.items())))
            samples[key] = sample.value
    return samples


def mail(company, *, status, kind=Kind.INVITATION, took=None, due_in=0, **fields):
    n = next(_n)
    now = timezone.now()
    row = Notification.objects.create(
        company=company,
        kind=kind,
        key=f"k{n}",
        lane=f"lane{n}",
        recipient=f"g{n}@ext.example",
        message_id=f"<{n}@test>",
        status=status,
        next_attempt_at=now + timedelta(seconds=due_in),
        **fields,
    )
    if took is not None:
        Notification.objects.filter(pk=row.pk).update(
            created=now - timedelta(seconds=took), sent_at=now
        )
    return row


def calendar(user, location, *, status=Status.CONNECTED, **fields):
    n = next(_n)
    connection = Connection.objects.create(
        company=user.company,
        user=user,
        provider="google",
        account_id=f"acct{n}@acme.example",
        location=location,
        status=status,
    )
    return Calendar.objects.create(
        connection=connection, remote_id=f"cal{n}", name="Cal", selected=True, **fields
    )


def test_outbox_mail_and_calendars(client, settings, acme, bob, acme_hq):
    now = timezone.now()
    mail(acme, status=Mail.QUEUED, due_in=-120)  # due for two minutes
    mail(acme, status=Mail.QUEUED, due_in=-5)
    mail(acme, status=Mail.QUEUED, due_in=600)  # a retry backing off
    mail(acme, status=Mail.SENDING)
    mail(acme, status=Mail.SENT, took=0.3)
    mail(acme, status=Mail.SENT, took=4)
    mail(acme, status=Mail.SENT, kind=Kind.UPDATE, took=0.07)
    mail(acme, status=Mail.FAILED, kind=Kind.CANCELLATION)
    mail(acme, status=Mail.SENT, kind=HOST_ARRIVAL, took=100)  # not a guest's: no latency
    calendar(bob, acme_hq, status=Status.NEEDS_RECONNECT)
    calendar(bob, acme_hq, channel_id="c1", channel_expires_at=now + timedelta(hours=3))
    calendar(bob, acme_hq, channel_id="c2", channel_expires_at=now + timedelta(days=5))
    calendar(
        bob, acme_hq, push_received_at=now - timedelta(seconds=30), push_lag_seconds=9.0
    )  # lag of a sync done over a day ago does not count
    calendar(bob, acme_hq, push_lag_seconds=0.4, synced_at=now - timedelta(minutes=5))

    m = scrape(client, settings)

    def value(name, **labels):
        return m[(name, tuple(sorted(labels.items())))]

    assert value("portier_outbox_rows", state="due") == 2
    assert value("portier_outbox_rows", state="waiting") == 1
    assert value("portier_outbox_rows", state="sending") == 1
    assert 119 < value("portier_outbox_oldest_due_seconds") < 180
    assert value("portier_emails_total", kind="invitation", status="sent") == 2
    assert value("portier_emails_total", kind="update", status="sent") == 1
    assert value("portier_emails_total", kind="cancellation", status="failed") == 1
    assert value("portier_emails_total", kind="host-arrival", status="sent") == 1
    latency = "portier_guest_email_latency_seconds_bucket"
    assert value(latency, le="0.05") == 0
    assert value(latency, le="0.1") == 1
    assert value(latency, le="0.5") == 2
    assert value(latency, le="5.0") == 3
    assert value(latency, le="+Inf") == 3
    assert value("portier_guest_email_latency_seconds_count") == 3
    assert 4.3 < value("portier_guest_email_latency_seconds_sum") < 4.5
    assert value("portier_calendars", source="google") == 5
    assert value("portier_calendars_needing_reconnect", source="google") == 1
    assert value("portier_channels_expiring_within_a_day", source="google") == 1
    assert value("portier_sync_lag_seconds", source="google") == 0.4
    assert 29 < value("portier_sync_push_pending_seconds", source="google") < 90
    assert value("portier_queue_tasks", state="pending") == 0


def test_a_scrape_costs_the_same_few_queries_at_any_size(
    client, settings, acme, bob, acme_hq, django_assert_num_queries
):
    settings.PORTIER_METRICS_TOKEN = TOKEN
    for size in (1, 30):
        for _ in range(size):
            mail(acme, status=Mail.SENT, took=1)
            calendar(bob, acme_hq)
        with django_assert_num_queries(4):
            client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
