"""Series, all-day events across DST, and one event in several hosts' calendars."""

from datetime import date, timedelta

import pytest

from portier.testing.google import connect_google
from portier.testing.sync_fixtures import BOB, attendees, soon
from portier.visits.models import Appointment

ALICE = "alice@acme.example"


def test_weekly_series_with_a_moved_and_a_cancelled_occurrence(google_fake, bob_calendar, sync):
    first = soon(days=2, hour=9)
    series = google_fake.create_event(
        BOB,
        summary="Weekly review",
        start=first,
        end=first + timedelta(hours=1),
        time_zone="Europe/Berlin",
        recurrence=["RRULE:FREQ=WEEKLY;COUNT=6"],
        attendees=attendees("g@ext.example"),
    )
    sync(bob_calendar)
    occurrences = Appointment.objects.filter(series__isnull=False).order_by("starts_at")
    assert occurrences.count() == 6
    assert len({a.instance_key for a in occurrences}) == 6
    assert len({a.series_id for a in occurrences}) == 1
    third, fifth = occurrences[2], occurrences[4]

    moved_to = third.starts_at + timedelta(hours=3)
    google_fake.move_instance(
        BOB, series["id"], third.starts_at, start=moved_to, end=moved_to + timedelta(hours=1)
    )
    google_fake.cancel_instance(BOB, series["id"], fifth.starts_at)
    sync(bob_calendar)
    third.refresh_from_db()
    fifth.refresh_from_db()
    assert third.starts_at == moved_to and third.status == "active"
    assert third.instance_key == occurrences[2].instance_key  # a moved occurrence keeps its key
    assert fifth.status == "cancelled"
    assert Appointment.objects.filter(status="active", series__isnull=False).count() == 5
    assert Appointment.objects.count() == 6

    google_fake.delete_event(BOB, series["id"])
    sync(bob_calendar)
    assert not Appointment.objects.filter(status="active").exists()


def test_occurrences_beyond_the_horizon_wait_for_it(google_fake, bob_calendar, sync, settings):
    from portier.sync.horizon import roll_horizon

    settings.PORTIER_SYNC_HORIZON_DAYS = 20
    first = soon(days=1, hour=9)
    google_fake.create_event(
        BOB,
        summary="Weekly",
        start=first,
        end=first + timedelta(hours=1),
        time_zone="Europe/Berlin",
        recurrence=["RRULE:FREQ=WEEKLY;COUNT=8"],
        attendees=attendees("g@ext.example"),
    )
    sync(bob_calendar)
    assert Appointment.objects.count() == 3  # days 1, 8, 15 are within 20 days
    settings.PORTIER_SYNC_HORIZON_DAYS = 40
    roll_horizon(bob_calendar.pk)
    assert Appointment.objects.count() == 6


@pytest.mark.parametrize("zone", ["Europe/Berlin", "America/Los_Angeles"])
def test_all_day_event_across_a_dst_change_keeps_its_dates(
    google_fake, bob_calendar, sync, acme_hq, zone, time_machine
):
    # Berlin leaves summer time on 2027-10-31; Los Angeles on 2027-11-07.
    time_machine.move_to("2027-10-20T12:00:00Z", tick=True)
    acme_hq.time_zone = zone
    acme_hq.save()
    google_fake.create_event(
        BOB,
        summary="Audit days",
        start=date(2027, 10, 30),
        end=date(2027, 11, 9),
        time_zone=zone,
        attendees=attendees("auditor@ext.example"),
    )
    sync(bob_calendar)
    appointment = Appointment.objects.get()
    assert appointment.all_day
    assert (appointment.start_date, appointment.end_date) == (date(2027, 10, 30), date(2027, 11, 9))
    assert appointment.fingerprint["start_date"] == "2027-10-30"
    local_start = appointment.starts_at.astimezone(acme_hq.zone)
    local_end = appointment.ends_at.astimezone(acme_hq.zone)
    assert (local_start.date(), local_start.hour) == (date(2027, 10, 30), 0)
    assert (local_end.date(), local_end.hour) == (date(2027, 11, 9), 0)


def test_the_same_event_in_two_hosts_calendars_is_one_appointment(
    google_fake, bob_calendar, sync, alice
):
    google_fake.add_account(ALICE, name="Alice", time_zone="Europe/Berlin")
    alice_calendar = connect_google(alice, google_fake, ALICE).calendars.get(is_primary=True)
    start = soon()
    event = google_fake.create_event(
        ALICE,
        summary="Joint visit",
        start=start,
        end=start + timedelta(hours=1),
        time_zone="Europe/Berlin",
        organizer={"email": ALICE},
        attendees=[
            {"email": ALICE, "organizer": True},
            {"email": BOB},
            {"email": "g@ext.example"},
            {"email": "invite@portier.example"},
        ],
    )
    # Bob's copy of the same event (same iCalUID) in his own calendar.
    google_fake.create_event(
        BOB,
        summary="Joint visit",
        start=start,
        end=start + timedelta(hours=1),
        time_zone="Europe/Berlin",
        ical_uid=event["iCalUID"],
        organizer={"email": ALICE},
        attendees=[
            {"email": ALICE, "organizer": True},
            {"email": BOB, "self": True},
            {"email": "g@ext.example"},
            {"email": "invite@portier.example"},
        ],
    )
    sync(bob_calendar)
    sync(alice_calendar)
    appointment = Appointment.objects.get()
    assert appointment.host.email == ALICE  # the organizer's connection wins
    assert {g.email for g in appointment.guests.filter(kind="guest")} == {"g@ext.example"}
    # Bob's copy disappears (he declined or removed it): the appointment stays for Alice.
    bob_copy = next(e for e in appointment.synced_events.all() if e.calendar_id == bob_calendar.pk)
    google_fake.delete_event(BOB, bob_copy.remote_id)
    sync(bob_calendar)
    appointment.refresh_from_db()
    assert appointment.status == "active"


def test_the_series_rule_is_kept_for_the_invitation(google_fake, bob_calendar, sync):
    from portier.visits.models import Series

    first = soon(days=2, hour=9)
    google_fake.create_event(
        BOB,
        summary="Tuesday review",
        start=first,
        end=first + timedelta(hours=1),
        time_zone="Europe/Berlin",
        recurrence=["RRULE:FREQ=WEEKLY;COUNT=4"],
        attendees=attendees("g@ext.example"),
    )
    sync(bob_calendar)
    sync(bob_calendar)
    assert Series.objects.get().rule == "RRULE:FREQ=WEEKLY;COUNT=4"


def test_a_deleted_series_reported_as_one_item_cancels_every_date_and_waits_for_none(
    google_fake, bob_calendar, sync, settings, smtp_sink
):
    """Google's tombstone of the series itself (only its id), or a source that reports a
    deleted series as one item: every date goes, those beyond the horizon too."""
    from django.db import transaction
    from django.utils import timezone

    from portier.sources.base import RemoteEvent
    from portier.sync.engine import apply_event
    from portier.sync.models import SyncedEvent, SyncLogEntry

    settings.PORTIER_SYNC_HORIZON_DAYS = 20
    first = soon(days=1, hour=9)
    series = google_fake.create_event(
        BOB,
        summary="Weekly",
        start=first,
        end=first + timedelta(hours=1),
        time_zone="Europe/Berlin",
        recurrence=["RRULE:FREQ=WEEKLY;COUNT=5"],
        attendees=attendees("g@ext.example"),
    )
    sync(bob_calendar)
    assert Appointment.objects.filter(status="active").count() == 3
    assert SyncedEvent.objects.filter(marked=True).count() == 5
    for tombstone in (
        RemoteEvent(remote_id=series["id"], status="cancelled"),
        RemoteEvent.series_deletion(series["id"]),  # the same, said by the source: no-op now
    ):
        with transaction.atomic():
            apply_event(bob_calendar, tombstone, now=timezone.now())
    assert not Appointment.objects.filter(status="active").exists()
    assert not SyncedEvent.objects.filter(marked=True).exists()
    cancelled = SyncLogEntry.objects.filter(action="cancelled")
    assert sorted(cancelled.values_list("code", flat=True)) == ["event_deleted"] * 3


def test_the_horizon_roll_finds_a_series_deleted_while_its_dates_waited(
    google_fake, bob_calendar, sync, settings, smtp_sink
):
    """Google lists a deleted series' dates only so far ahead: the dates waiting beyond the
    horizon learn of it when the roll asks for them."""
    from portier.sync.horizon import roll_horizon
    from portier.sync.models import SyncedEvent

    settings.PORTIER_SYNC_HORIZON_DAYS = 20
    first = soon(days=1, hour=9)
    series = google_fake.create_event(
        BOB,
        summary="Weekly",
        start=first,
        end=first + timedelta(hours=1),
        time_zone="Europe/Berlin",
        recurrence=["RRULE:FREQ=WEEKLY;COUNT=5"],
        attendees=attendees("g@ext.example"),
    )
    sync(bob_calendar)
    google_fake.delete_event(BOB, series["id"])  # no sync between: as if its listing was cut
    settings.PORTIER_SYNC_HORIZON_DAYS = 40
    assert roll_horizon(bob_calendar.pk) == 0
    assert not Appointment.objects.filter(status="active").exists()
    assert not SyncedEvent.objects.filter(marked=True).exists()
