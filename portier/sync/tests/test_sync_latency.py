"""No waiting that is not work: a change right after a sync is synced at once; bursts still
coalesce (one sync queued at a time, one follow-up per running sync); push -> sync is kept."""

from datetime import timedelta

from django.utils import timezone

from portier.integrations.models import Calendar
from portier.sync import channels
from portier.sync.tests.test_sync_push import URL, headers, sync_count
from portier.testing.sync_fixtures import BOB, attendees, soon
from portier.visits.models import Appointment


def test_a_change_right_after_a_sync_is_synced_at_once(
    client, google_fake, bob_calendar, sync, django_capture_on_commit_callbacks
):
    sync(bob_calendar)  # a sync started a moment ago: no cool-down holds the next one back
    calendar = channels.open_channel(bob_calendar)
    start = soon()
    google_fake.create_event(
        BOB, summary="Right after", start=start, end=start + timedelta(hours=1),
        attendees=attendees("g@ext.example"),
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, **headers(calendar))
    assert Appointment.objects.get().title == "Right after"


def test_a_burst_while_a_sync_runs_costs_one_follow_up_and_the_push_lag_is_kept(
    client, google_fake, bob_calendar, sync, django_capture_on_commit_callbacks
):
    from portier.sync.tasks import run_sync

    sync(bob_calendar)
    calendar = channels.open_channel(bob_calendar)
    before = sync_count(google_fake)
    # A sync holds the lease while twenty pushes arrive.
    Calendar.objects.filter(pk=calendar.pk).update(
        sync_lease_until=timezone.now() + timedelta(minutes=5), sync_queued_at=None
    )
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(20):
            assert client.post(URL, **headers(calendar)).status_code == 200
    assert sync_count(google_fake) == before
    first_push = Calendar.objects.get(pk=calendar.pk).push_received_at
    assert first_push is not None  # the oldest push waits for a sync to cover it
    Calendar.objects.filter(pk=calendar.pk).update(sync_lease_until=None)
    with django_capture_on_commit_callbacks(execute=True):
        run_sync(calendar.pk)
    assert sync_count(google_fake) - before == 1
    calendar = Calendar.objects.get(pk=calendar.pk)
    assert calendar.push_received_at is None
    assert 0 <= calendar.push_lag_seconds < 600


def test_a_push_after_the_sync_started_waits_for_the_next(google_fake, bob_calendar, sync):
    from portier.sync.tasks import run_sync

    sync(bob_calendar)
    later = timezone.now() + timedelta(seconds=30)  # after the start of the run below
    Calendar.objects.filter(pk=bob_calendar.pk).update(push_received_at=later)
    run_sync(bob_calendar.pk)
    calendar = Calendar.objects.get(pk=bob_calendar.pk)
    assert calendar.push_received_at == later and calendar.push_lag_seconds is None


def test_unmarked_events_cost_no_query_each(google_fake, bob_calendar, sync):
    """Most of a calendar carries no marker: such an event, never marked here, is passed over
    with one query for the whole page, not a locking SELECT each (docs/performance.md §2)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for_a_full_sync_of(n):
        for i in range(n):
            start = soon(days=1 + i % 20)
            google_fake.create_event(
                BOB, summary=f"Team {i}", start=start, end=start + timedelta(hours=1)
            )
        google_fake.invalidate_sync_tokens(BOB)
        with CaptureQueriesContext(connection) as captured:
            sync(bob_calendar)
        return len(captured)

    assert queries_for_a_full_sync_of(10) == queries_for_a_full_sync_of(40)
