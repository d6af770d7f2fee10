"""The engine against the Google fake through the real client library."""

from datetime import UTC, datetime, timedelta

from portier.integrations.models import Calendar
from portier.sync.models import SyncedEvent, SyncLogEntry
from portier.testing.sync_fixtures import BOB, attendees, soon
from portier.visits.models import Appointment


def create(fake, **fields):
    start = fields.pop("start", soon())
    return fake.create_event(
        BOB,
        start=start,
        end=fields.pop("end", start + timedelta(hours=1)),
        time_zone="Europe/Berlin",
        **fields,
    )


def test_marked_event_becomes_an_appointment_unmarked_never(google_fake, bob_calendar, sync):
    marked = create(
        google_fake,
        summary="Visit from Initech",
        location="Lobby",
        attendees=attendees("peter@initech.example", "anna@acme.example"),
    )
    create(google_fake, summary="Lunch", attendees=[("peter@initech.example", "Peter")])
    sync(bob_calendar)
    appointment = Appointment.objects.get()
    assert appointment.title == "Visit from Initech"
    assert appointment.remote_id == marked["id"]
    assert appointment.ical_uid == marked["iCalUID"]
    assert appointment.host.email == BOB
    assert appointment.location == bob_calendar.connection.location
    guests = {g.email: g.kind for g in appointment.guests.all()}
    assert guests == {"peter@initech.example": "guest", "anna@acme.example": "colleague"}
    assert SyncLogEntry.objects.filter(action="picked_up").count() == 1
    calendar = Calendar.objects.get(pk=bob_calendar.pk)
    assert calendar.sync_cursor and calendar.synced_at


def test_marker_is_case_insensitive(google_fake, bob_calendar, sync):
    create(
        google_fake,
        summary="A",
        attendees=attendees("x@ext.example", marker="INVITE@Portier.Example"),
    )
    sync(bob_calendar)
    assert Appointment.objects.count() == 1


def test_guests_exclude_organizer_rooms_marker_and_colleagues(google_fake, bob_calendar, sync):
    create(
        google_fake,
        summary="Board",
        attendees=[
            {"email": BOB, "organizer": True, "responseStatus": "accepted"},
            {"email": "room-1@resource.calendar.google.com", "resource": True},
            {"email": "invite@portier.example"},
            {"email": "colleague@acme.example"},
            {"email": "guest@ext.example", "displayName": "Gina Guest"},
            {"email": "declined@ext.example", "responseStatus": "declined"},
        ],
    )
    sync(bob_calendar)
    appointment = Appointment.objects.get()
    assert {g.email for g in appointment.guests.filter(kind="guest")} == {"guest@ext.example"}
    assert {g.email for g in appointment.guests.filter(kind="colleague")} == {
        "colleague@acme.example"
    }
    assert appointment.guests.get(email="guest@ext.example").name == "Gina Guest"


def test_changes_update_the_fingerprint_and_noise_does_not(google_fake, bob_calendar, sync):
    event = create(google_fake, summary="Visit", attendees=attendees("g@ext.example"))
    sync(bob_calendar)
    appointment = Appointment.objects.get()
    version = appointment.version

    def fingerprint_after(**changes):
        google_fake.update_event(BOB, event["id"], **changes)
        sync(bob_calendar)
        appointment.refresh_from_db()
        return appointment.version

    assert fingerprint_after(description="Parking in the back") == version
    assert fingerprint_after(reminders={"useDefault": False, "overrides": []}) == version
    new_start = soon(days=4, hour=14)
    version = fingerprint_after(start=new_start, end=new_start + timedelta(hours=2))
    assert appointment.starts_at == new_start
    assert appointment.fingerprint["starts_at"] == new_start.isoformat()
    assert fingerprint_after(summary="Visit (moved)") == version + 1
    assert fingerprint_after(location="Room 5") == version + 2
    assert appointment.location_text == "Room 5"
    assert fingerprint_after(attendees=attendees("g@ext.example", "h@ext.example")) == version + 3
    assert set(appointment.fingerprint["guests"]) == {"g@ext.example", "h@ext.example"}
    assert appointment.description == ""  # a synced event's description is never stored


def test_delete_and_marker_removal_cancel(google_fake, bob_calendar, sync):
    deleted = create(google_fake, summary="Deleted", attendees=attendees("g@ext.example"))
    unmarked = create(google_fake, summary="Unmarked", attendees=attendees("g@ext.example"))
    sync(bob_calendar)
    assert Appointment.objects.active().count() == 2
    google_fake.delete_event(BOB, deleted["id"])
    google_fake.update_event(BOB, unmarked["id"], attendees=[("g@ext.example", "G")])
    sync(bob_calendar)
    assert set(Appointment.objects.filter(status="cancelled").values_list("title", flat=True)) == {
        "Deleted",
        "Unmarked",
    }
    reasons = set(SyncLogEntry.objects.filter(action="cancelled").values_list("code", flat=True))
    assert reasons == {"event_deleted", "marker_removed"}
    # Marker added again: the appointment lives again (its guests are invited anew).
    google_fake.update_event(BOB, unmarked["id"], attendees=attendees("g@ext.example"))
    sync(bob_calendar)
    assert Appointment.objects.get(title="Unmarked").status == "active"


def test_events_without_guests_or_in_the_past_are_ignored_with_a_reason(
    google_fake, bob_calendar, sync
):
    create(google_fake, summary="Alone", attendees=attendees("me@acme.example"))
    past = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=3)
    create(google_fake, summary="Old", start=past, attendees=attendees("g@ext.example"))
    sync(bob_calendar)
    sync(bob_calendar)
    assert not Appointment.objects.exists()
    reasons = [(e.title, e.details) for e in SyncLogEntry.objects.filter(action="ignored")]
    assert sorted(reasons) == [
        ("Alone", "The event has no guests from outside the company."),
        ("Old", "The event is in the past."),
    ]


def test_replaying_a_sync_changes_nothing(google_fake, bob_calendar, sync):
    create(google_fake, summary="Visit", attendees=attendees("g@ext.example"))
    sync(bob_calendar)
    Calendar.objects.filter(pk=bob_calendar.pk).update(sync_cursor="")  # full listing again
    sync(bob_calendar)
    sync(bob_calendar)
    appointment = Appointment.objects.get()
    assert appointment.version == 1
    assert SyncedEvent.objects.count() == 1
