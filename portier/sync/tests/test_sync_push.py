"""Push: the webhook checks the channel, marks the calendar due, bursts coalesce."""

from datetime import timedelta

from django.urls import reverse

from portier.integrations.models import Calendar
from portier.sync import channels
from portier.testing.sync_fixtures import BOB, attendees, soon
from portier.visits.models import Appointment

URL = "/integrations/google/notifications/"


def headers(calendar, state="exists", token=None, resource=None):
    return {
        "HTTP_X_GOOG_CHANNEL_ID": calendar.channel_id,
        "HTTP_X_GOOG_CHANNEL_TOKEN": calendar.channel_token if token is None else token,
        "HTTP_X_GOOG_RESOURCE_ID": calendar.channel_resource_id if resource is None else resource,
        "HTTP_X_GOOG_RESOURCE_STATE": state,
        "HTTP_X_GOOG_MESSAGE_NUMBER": "2",
    }


def sync_count(fake):
    """Syncs = first pages of events.list (page tokens are follow-ups of the same sync)."""
    return sum(
        1
        for method, path, query in fake.requests
        if method == "GET" and path.endswith("/events") and "pageToken" not in query
    )


def test_a_marked_event_appears_after_one_notification(
    client, google_fake, bob_calendar, sync, django_capture_on_commit_callbacks
):
    sync(bob_calendar)
    calendar = channels.open_channel(bob_calendar)
    assert calendar.channel_resource_id and google_fake.active_channels == [calendar.channel_id]
    start = soon()
    google_fake.create_event(
        BOB,
        summary="Pushed",
        start=start,
        end=start + timedelta(hours=1),
        attendees=attendees("g@ext.example"),
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, **headers(calendar))
    assert response.status_code == 200
    assert Appointment.objects.get().title == "Pushed"


def test_fifty_notifications_cost_at_most_two_syncs(
    client, google_fake, bob_calendar, sync, django_capture_on_commit_callbacks
):
    sync(bob_calendar)
    calendar = channels.open_channel(bob_calendar)
    before = sync_count(google_fake)
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(50):
            assert client.post(URL, **headers(calendar)).status_code == 200
    assert 1 <= sync_count(google_fake) - before <= 2


def test_a_notification_during_a_sync_causes_exactly_one_follow_up(
    google_fake, bob_calendar, sync, django_capture_on_commit_callbacks
):
    from portier.sync.tasks import request_sync, run_sync

    sync(bob_calendar)
    before = sync_count(google_fake)
    # A sync is running (it holds the lease) when three notifications arrive.
    Calendar.objects.filter(pk=bob_calendar.pk).update(
        sync_lease_until=soon(days=1), sync_queued_at=None
    )
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            request_sync(bob_calendar.pk)
    assert sync_count(google_fake) == before  # the queued task saw the lease and stepped back
    assert Calendar.objects.get(pk=bob_calendar.pk).sync_requested_at is not None
    # The running sync ends (releases its lease); what it finds requested runs once.
    Calendar.objects.filter(pk=bob_calendar.pk).update(sync_lease_until=None)
    with django_capture_on_commit_callbacks(execute=True):
        run_sync(bob_calendar.pk)
    assert sync_count(google_fake) - before == 1
    assert Calendar.objects.get(pk=bob_calendar.pk).sync_requested_at is None


def test_spoofed_and_unknown_notifications_do_nothing(
    client, google_fake, bob_calendar, sync, django_capture_on_commit_callbacks
):
    sync(bob_calendar)
    calendar = channels.open_channel(bob_calendar)
    before = sync_count(google_fake)
    forged = [
        headers(calendar, token="guessed"),
        headers(calendar, resource="other-resource"),
        {**headers(calendar), "HTTP_X_GOOG_CHANNEL_ID": "unknown-channel"},
        {},
    ]
    with django_capture_on_commit_callbacks(execute=True):
        for h in forged:
            assert client.post(URL, **h).status_code == 200
    assert sync_count(google_fake) == before
    assert Calendar.objects.get(pk=calendar.pk).sync_requested_at is None


def test_stopped_channels_are_ignored(client, google_fake, bob_calendar, sync):
    calendar = channels.open_channel(bob_calendar)
    old = headers(calendar)
    channels.close_channel(calendar)
    assert google_fake.active_channels == []
    client.post(URL, **old)
    assert Calendar.objects.get(pk=calendar.pk).sync_requested_at is None


def test_renewal_replaces_the_channel_and_stops_the_old_one(
    google_fake, bob_calendar, time_machine
):
    calendar = channels.open_channel(bob_calendar)
    first = calendar.channel_id
    time_machine.move_to(calendar.channel_expires_at - timedelta(hours=12))
    assert channels.needs_channel(calendar)
    calendar = channels.open_channel(calendar)
    assert calendar.channel_id != first
    assert google_fake.active_channels == [calendar.channel_id]


def test_polling_backstop(google_fake, bob_calendar, sync, time_machine):
    from portier.sync.tasks import due_for_polling

    sync(bob_calendar)
    calendar = channels.open_channel(bob_calendar)
    assert calendar not in due_for_polling()
    time_machine.move_to(calendar.synced_at + timedelta(minutes=6))
    assert calendar not in due_for_polling()  # push works: hourly is enough
    Calendar.objects.filter(pk=calendar.pk).update(channel_id="")
    assert calendar in due_for_polling()  # no channel: every 5 minutes
    Calendar.objects.filter(pk=calendar.pk).update(channel_id=calendar.channel_id)
    time_machine.move_to(calendar.synced_at + timedelta(minutes=61))
    assert calendar in due_for_polling()


def test_the_webhook_url_is_the_configured_one(settings):
    settings.PORTIER_BASE_URL = "https://portier.example.com"
    assert channels.notification_address("google") == (
        "https://portier.example.com" + reverse("integrations:notifications", args=["google"])
    )


def test_a_lost_queue_message_does_not_stop_the_calendar_for_good(
    google_fake, bob_calendar, sync, time_machine, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    from portier.sync.tasks import poll_calendars

    sync(bob_calendar)
    now = timezone.now()
    # A sync was queued, but its message never reached a worker (Redis flushed, say).
    Calendar.objects.filter(pk=bob_calendar.pk).update(sync_queued_at=now)
    start = soon()
    google_fake.create_event(
        BOB, summary="Late", start=start, end=start + timedelta(hours=1),
        attendees=attendees("g@ext.example"),
    )  # fmt: skip
    time_machine.move_to(now + timedelta(hours=2))
    with django_capture_on_commit_callbacks(execute=True):
        poll_calendars()
    assert Appointment.objects.filter(title="Late").exists()


def test_a_sync_that_lost_its_lease_stops_without_writing(google_fake, bob_calendar, sync):
    from datetime import UTC, datetime

    from portier.sync.engine import sync_calendar
    from portier.sync.lease import Lease

    sync(bob_calendar)
    cursor = Calendar.objects.get(pk=bob_calendar.pk).sync_cursor
    start = soon()
    google_fake.create_event(
        BOB, summary="Contested", start=start, end=start + timedelta(hours=1),
        attendees=attendees("g@ext.example"),
    )  # fmt: skip
    # Our lease lapsed and another worker holds the calendar now (it started later).
    Calendar.objects.filter(pk=bob_calendar.pk).update(sync_started_at=datetime.now(UTC))
    stale = Lease(bob_calendar.pk, started=soon(days=-1), length=timedelta(minutes=10))
    sync_calendar(bob_calendar.pk, lease=stale)
    assert not Appointment.objects.exists()
    assert Calendar.objects.get(pk=bob_calendar.pk).sync_cursor == cursor
