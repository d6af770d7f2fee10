"""The contract every calendar source keeps, run against each registered source's simulator.

Parametrised over the registry (the tests register a test-only in-memory source next to
Google); a capability's tests run for the sources that declare it.
"""

from datetime import timedelta

import pytest
from django.urls import reverse

from portier.integrations.models import Status
from portier.sources import registry
from portier.sources.base import ProviderError
from portier.sources.tests.conftest import GUEST, sources_declaring
from portier.sync.models import SyncedEvent
from portier.testing.sync_fixtures import BOB, soon
from portier.visits.models import Appointment

pytestmark = pytest.mark.django_db
EVERY_SOURCE = sources_declaring()


@pytest.mark.parametrize("source", EVERY_SOURCE, indirect=True)
def test_connect_stores_the_account_and_lists_its_calendars(source):
    page = source.connect().content.decode()
    name = registry.display_name(source.slug)
    assert f"{name} {BOB} is connected." in page
    connection = source.connection
    assert connection.status == Status.CONNECTED and connection.location.name
    calendars = {c.name: c for c in connection.calendars.all()}
    assert "Team" in calendars and len(calendars) == 2
    assert [c.is_primary for c in connection.calendars.filter(selected=True)] == [True]


@pytest.mark.parametrize("source", EVERY_SOURCE, indirect=True)
def test_the_integrations_page_offers_every_registered_source(source):
    page = source.client.get(reverse("integrations:list")).content.decode()
    assert f'data-provider="{source.slug}"' in page
    assert str(registry.get(source.slug).name) in page


@pytest.mark.parametrize("source", EVERY_SOURCE, indirect=True)
def test_first_sync_makes_an_appointment_of_a_marked_event_only(connected, sync):
    connected.marked_event("Marked")
    start = soon(days=3)
    connected.sim.create_event(
        BOB, title="Unmarked", start=start, end=start + timedelta(hours=1), attendees=[GUEST]
    )
    sync(connected.calendar)
    appointment = Appointment.objects.get()
    assert appointment.title == "Marked" and appointment.source == connected.slug
    assert appointment.source_name == str(registry.get(connected.slug).name)
    assert [g.email for g in appointment.guests.all()] == [GUEST]
    assert connected.calendar.sync_cursor and connected.calendar.synced_at


@pytest.mark.parametrize("source", EVERY_SOURCE, indirect=True)
def test_incremental_sync_follows_a_change_and_a_new_event(connected, sync):
    first = connected.marked_event("Before")
    sync(connected.calendar)
    connected.sim.update_event(BOB, first, title="After")
    connected.marked_event("New", days=4)
    sync(connected.calendar)
    assert sorted(Appointment.objects.values_list("title", flat=True)) == ["After", "New"]


@pytest.mark.parametrize("source", EVERY_SOURCE, indirect=True)
def test_a_listing_over_several_pages_is_complete(connected, sync):
    for n in range(7):  # page size 3: three pages
        connected.marked_event(f"Visit {n}", days=2 + n)
    result = sync(connected.calendar)
    assert result.pages >= 3
    assert Appointment.objects.count() == 7


@pytest.mark.parametrize("source", EVERY_SOURCE, indirect=True)
def test_an_expired_cursor_means_a_full_resync_that_finds_the_gap(connected, sync):
    gone = connected.marked_event("Deleted in the gap")
    sync(connected.calendar)
    connected.sim.delete_event(BOB, gone)
    connected.marked_event("Added in the gap", days=5)
    connected.sim.expire_cursors(BOB)
    result = sync(connected.calendar)
    assert result.restarts == 1 and result.full
    states = dict(Appointment.objects.values_list("title", "status"))
    assert states == {"Deleted in the gap": "cancelled", "Added in the gap": "active"}


@pytest.mark.parametrize("source", EVERY_SOURCE, indirect=True)
def test_a_deleted_event_cancels_its_appointment(connected, sync):
    event = connected.marked_event()
    sync(connected.calendar)
    connected.sim.delete_event(BOB, event)
    sync(connected.calendar)
    assert Appointment.objects.get().is_cancelled


@pytest.mark.parametrize("source", EVERY_SOURCE, indirect=True)
def test_a_moved_and_a_cancelled_occurrence(connected, sync):
    series = connected.marked_event("Weekly", recurrence=["RRULE:FREQ=WEEKLY;COUNT=4"])
    sync(connected.calendar)
    occurrences = list(Appointment.objects.order_by("starts_at"))
    assert len(occurrences) == 4 and len({a.series_id for a in occurrences}) == 1
    second, third = occurrences[1], occurrences[2]
    moved_to = second.starts_at + timedelta(hours=2)
    connected.sim.move_occurrence(BOB, series, second.starts_at, moved_to)
    connected.sim.cancel_occurrence(BOB, series, third.starts_at)
    sync(connected.calendar)
    second.refresh_from_db()
    third.refresh_from_db()
    assert second.starts_at == moved_to and not second.is_cancelled
    assert second.instance_key == occurrences[1].instance_key
    assert third.is_cancelled
    assert Appointment.objects.filter(status="active").count() == 3


@pytest.mark.parametrize("source", EVERY_SOURCE, indirect=True)
def test_a_deleted_series_cancels_every_occurrence(connected, sync):
    series = connected.marked_event("Weekly", recurrence=["RRULE:FREQ=WEEKLY;COUNT=3"])
    sync(connected.calendar)
    assert Appointment.objects.filter(status="active").count() == 3
    connected.sim.delete_event(BOB, series)
    sync(connected.calendar)
    assert not Appointment.objects.filter(status="active").exists()
    assert not SyncedEvent.objects.filter(marked=True).exists()  # nothing left to roll in


@pytest.mark.parametrize("source", EVERY_SOURCE, indirect=True)
def test_occurrences_beyond_the_horizon_come_when_it_rolls(connected, sync, settings):
    from portier.sync.horizon import roll_horizon

    settings.PORTIER_SYNC_HORIZON_DAYS = 10
    connected.marked_event("Weekly", days=1, recurrence=["RRULE:FREQ=WEEKLY;COUNT=4"])
    sync(connected.calendar)
    assert Appointment.objects.count() == 2  # days 1 and 8
    settings.PORTIER_SYNC_HORIZON_DAYS = 30
    roll_horizon(connected.calendar.pk)
    assert Appointment.objects.count() == 4


@pytest.mark.parametrize("source", EVERY_SOURCE, indirect=True)
def test_a_revoked_grant_asks_the_host_to_reconnect(connected, sync):
    connected.sim.revoke_grant(BOB)
    with pytest.raises(ProviderError) as raised:
        sync(connected.calendar)
    assert raised.value.reauth
    assert connected.connection.status == Status.NEEDS_RECONNECT


@pytest.mark.parametrize("source", EVERY_SOURCE, indirect=True)
def test_a_rate_limit_delays_the_sync_but_loses_nothing(connected, sync):
    connected.marked_event()
    connected.sim.rate_limit_next(1)
    try:
        sync(connected.calendar)  # a source may retry inside the call, or fail for now
    except ProviderError as exc:
        assert not exc.permanent and not exc.reauth
    sync(connected.calendar)
    assert Appointment.objects.filter(status="active").count() == 1
    assert connected.connection.status == Status.CONNECTED
