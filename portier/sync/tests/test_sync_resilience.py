"""Rejected cursors, faults, lost grants, crashes: nothing lost, nothing doubled."""

from datetime import timedelta

import pytest

from portier.integrations.models import Calendar, Connection
from portier.sources.base import ProviderError
from portier.sync.models import SyncLogEntry
from portier.testing.sync_fixtures import BOB, attendees, soon
from portier.visits.models import Appointment


def create(fake, title, days=3, guests=("g@ext.example",)):
    start = soon(days=days)
    return fake.create_event(
        BOB,
        summary=title,
        start=start,
        end=start + timedelta(hours=1),
        time_zone="Europe/Berlin",
        attendees=attendees(*guests),
    )


def list_requests(fake):
    return [r for r in fake.requests if r[0] == "GET" and r[1].endswith("/events")]


def test_410_after_a_gap_cancels_exactly_the_deleted_ones(google_fake, bob_calendar, sync):
    events = [create(google_fake, f"Visit {i}", days=i + 1) for i in range(6)]
    sync(bob_calendar)
    assert Appointment.objects.active().count() == 6
    google_fake.delete_event(BOB, events[1]["id"])
    google_fake.delete_event(BOB, events[4]["id"])
    google_fake.update_event(BOB, events[2]["id"], summary="Visit 2 (renamed)")
    google_fake.invalidate_sync_tokens(BOB)
    sync(bob_calendar)
    cancelled = set(Appointment.objects.filter(status="cancelled").values_list("title", flat=True))
    assert cancelled == {"Visit 1", "Visit 4"}
    assert Appointment.objects.filter(title="Visit 2 (renamed)", status="active").exists()
    assert SyncLogEntry.objects.filter(action="cancelled").count() == 2
    # The appointments that were merely re-listed did not change.
    assert set(Appointment.objects.filter(version=1).values_list("title", flat=True)) == {
        "Visit 0",
        "Visit 3",
        "Visit 5",
    }


def test_410_in_the_middle_of_a_paged_chain(google_fake, bob_calendar, sync, settings):
    settings.GOOGLE_PAGE_SIZE = 3
    events = [create(google_fake, f"Visit {i}", days=i + 1) for i in range(7)]
    sync(bob_calendar)
    assert Appointment.objects.count() == 7
    cursor = Calendar.objects.get(pk=bob_calendar.pk).sync_cursor
    google_fake.delete_event(BOB, events[6]["id"])
    for event in events[:5]:
        google_fake.update_event(BOB, event["id"], description="touched")  # 6 changes: 2 pages
    # The first page of the incremental chain passes; the second is answered 410.
    google_fake.fail_next(1, status=410, reason="fullSyncRequired", skip=1)
    sync(bob_calendar)
    assert Calendar.objects.get(pk=bob_calendar.pk).sync_cursor not in ("", cursor)
    cancelled = set(Appointment.objects.filter(status="cancelled").values_list("title", flat=True))
    assert cancelled == {"Visit 6"}
    assert set(Appointment.objects.values_list("version", flat=True)) == {1, 2}
    assert Appointment.objects.filter(version=2).count() == 1  # only the cancelled one moved on


@pytest.mark.parametrize(
    ("status", "reason"), [(403, "rateLimitExceeded"), (429, None), (500, None), (503, None)]
)
def test_transient_errors_are_retried_and_nothing_is_lost(
    google_fake, bob_calendar, sync, status, reason
):
    create(google_fake, "Visit")
    google_fake.fail_next(2, status=status, reason=reason)
    sync(bob_calendar)
    assert Appointment.objects.count() == 1
    assert Calendar.objects.get(pk=bob_calendar.pk).last_error == ""


def test_persistent_errors_keep_the_cursor_and_say_so(google_fake, bob_calendar, sync, settings):
    sync(bob_calendar)
    cursor = Calendar.objects.get(pk=bob_calendar.pk).sync_cursor
    create(google_fake, "Visit")
    settings.GOOGLE_RETRIES = 1
    google_fake.fail_next(5, status=500)
    with pytest.raises(ProviderError):
        sync(bob_calendar)
    calendar = Calendar.objects.get(pk=bob_calendar.pk)
    assert calendar.sync_cursor == cursor  # an error is never read as "nothing changed"
    assert "500" in calendar.last_error and calendar.status == "error"
    assert not Appointment.objects.exists()
    google_fake.faults.clear()
    sync(bob_calendar)
    assert Appointment.objects.count() == 1


def test_invalid_grant_means_needs_reconnect(google_fake, bob_calendar, sync, mailoutbox):
    google_fake.revoke_account_tokens(BOB)
    google_fake.expire_access_tokens(BOB)
    with pytest.raises(ProviderError):
        sync(bob_calendar)
    connection = Connection.objects.get()
    assert connection.status == "needs_reconnect"
    assert sync(bob_calendar) is None  # no polling of a lost grant: nothing to ask Google
    assert len([m for m in mailoutbox if "reconnect" in m.subject.lower()]) == 1


def test_crash_between_effects_and_cursor_loses_and_doubles_nothing(
    google_fake, bob_calendar, sync, settings
):
    """Pages 1–2 are committed, page 3 fails (as if the worker died): the cursor stays, the
    rerun replays from it, and every appointment exists exactly once."""
    sync(bob_calendar)
    for i in range(7):
        create(google_fake, f"Visit {i}", days=i + 1)
    settings.GOOGLE_RETRIES = 0
    settings.GOOGLE_PAGE_SIZE = 3
    requests_before = len(list_requests(google_fake))
    google_fake.fail_next(1, status=500, skip=2)  # pages 1 and 2 pass, page 3 fails
    with pytest.raises(ProviderError):
        sync(bob_calendar)
    assert len(list_requests(google_fake)) == requests_before + 3  # the third failed
    assert Appointment.objects.count() == 6  # two pages' effects are committed
    sync(bob_calendar)
    assert Appointment.objects.count() == 7
    assert set(Appointment.objects.values_list("version", flat=True)) == {1}


def test_an_unreadable_event_is_logged_and_the_others_go_on(bob_calendar):
    from django.utils import timezone

    from portier.sources.base import RemoteEvent
    from portier.sync.engine import apply_event

    apply_event(
        bob_calendar,
        RemoteEvent(remote_id="bad", title="Broken", problem="unreadable event data: x"),
        now=timezone.now(),
    )
    entry = SyncLogEntry.objects.get()
    assert (entry.action, entry.remote_id, entry.code, entry.params) == (
        "error",
        "bad",
        "unreadable",
        {"detail": "x"},
    )
    assert not Appointment.objects.exists()


def test_a_disconnect_during_a_sync_is_not_undone_by_it(google_fake, bob_calendar, sync):
    """The host disconnects while the last page is applied: the sync must not write the
    tokens (or a cursor) back."""
    from portier.integrations import services
    from portier.sync.engine import _finish

    connection = bob_calendar.connection
    with services.provider_for(connection) as provider:
        provider.list_calendars()  # a live provider holding tokens, as during a sync
        services.disconnect(connection=Connection.objects.get(pk=connection.pk))
        _finish(bob_calendar, provider, "cursor-from-the-last-page", soon())
    connection.refresh_from_db()
    assert connection.status == "disconnected"
    assert connection.refresh_token == "" and connection.access_token == ""
    assert Calendar.objects.get(pk=bob_calendar.pk).sync_cursor == ""
