"""One appointment: details, guests with their e-mails, colleagues apart, and for synced ones
the calendar that owns it and its sync log; plus the host's recently ignored events."""

import pytest
from django.urls import reverse

from portier.outbox.models import Notification, Status
from portier.sync.models import Action, SyncLogEntry
from portier.visits.models import Appointment, GuestKind
from portier.visits.services import GuestInfo, cancel_appointment
from portier.visits.tests.helpers import appointment, calendar_of, synced

pytestmark = pytest.mark.django_db


def test_manual_appointment_shows_guests_with_status_and_colleagues_apart(
    bob_client, bob, acme_hq, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        made = appointment(
            bob,
            acme_hq,
            title="Design review",
            description="Bring the drafts.",
            guests=[
                GuestInfo("ann@example.org", "Ann Arbor"),
                GuestInfo("dora@acme.example", "Dora Doe", kind=GuestKind.COLLEAGUE),
            ],
        )
    body = bob_client.get(reverse("visits:detail", args=[made.pk])).content.decode()
    guests = body[body.index("<h2>Guests</h2>") : body.index("<h3>Colleagues</h3>")]
    assert "ann@example.org" in guests and "invitation sent" in guests
    assert "dora@acme.example" not in guests
    assert "Dora Doe" in body[body.index("<h3>Colleagues</h3>") :]
    assert "Bring the drafts." in body
    assert reverse("visits:edit", args=[made.pk]) in body
    assert reverse("visits:cancel", args=[made.pk]) in body
    assert "Managed in" not in body and "Sync log" not in body


def test_failed_invitation_shows_the_reason(bob_client, bob, acme_hq):
    made = appointment(bob, acme_hq, guests=[GuestInfo("ann@example.org", "Ann")])
    Notification.objects.filter(appointment=made).update(
        status=Status.FAILED, last_error="550 5.1.1 No such user here"
    )
    body = bob_client.get(reverse("visits:detail", args=[made.pk])).content.decode()
    assert "invitation failed" in body and "550 5.1.1 No such user here" in body


def test_queued_invitation(bob_client, bob, acme_hq):
    made = appointment(bob, acme_hq, guests=[GuestInfo("ann@example.org", "Ann")])
    body = bob_client.get(reverse("visits:detail", args=[made.pk])).content.decode()
    assert "invitation queued" in body


def test_synced_appointment_is_read_only_with_a_link_and_its_sync_log(
    bob_client, bob, acme_hq, settings
):
    settings.PORTIER_SANDBOX = False  # real Google: its own link
    made = synced(bob, acme_hq, title="Board meeting")
    SyncLogEntry.objects.create(
        company=bob.company,
        calendar=made.calendar,
        appointment=made,
        remote_id=made.remote_id,
        title=made.title,
        action=Action.UPDATED,
        reason="starts_at, guests added",
    )
    body = bob_client.get(reverse("visits:detail", args=[made.pk])).content.decode()
    assert "Managed in Google Calendar: change it there." in body
    assert 'href="https://calendar.google.com/calendar/event?eid=abc123"' in body
    assert reverse("visits:edit", args=[made.pk]) not in body
    assert reverse("visits:cancel", args=[made.pk]) not in body
    log = body[body.index("Sync log") :]
    assert "picked up" in log and "changes seen" in log and "starts_at, guests added" in log


def test_synced_appointment_cannot_be_edited_or_cancelled_by_url(bob_client, bob, acme_hq):
    made = synced(bob, acme_hq)
    edit = bob_client.get(reverse("visits:edit", args=[made.pk]), follow=True)
    assert "Managed in Google Calendar" in edit.content.decode()
    bob_client.post(reverse("visits:cancel", args=[made.pk]))
    bob_client.post(reverse("visits:edit", args=[made.pk]), {"title": "Hijacked"})
    made.refresh_from_db()
    assert not made.is_cancelled and made.title == "Board meeting"


def test_held_appointment_explains_why_nobody_was_emailed(bob_client, bob, acme_hq):
    made = synced(bob, acme_hq, held_code="XX9")
    body = bob_client.get(reverse("visits:detail", args=[made.pk])).content.decode()
    assert "The location code XX9 in the event matches none of your locations" in body
    assert "not e-mailed" in body


def test_recently_ignored_events_of_my_calendars(bob_client, alice, bob, acme_hq):
    mine = calendar_of(bob, acme_hq)
    theirs = calendar_of(alice, acme_hq)
    for calendar, title, action, code, params in [
        (mine, "Lunch", Action.IGNORED, "no_outside_guests", {}),
        (mine, "Offsite", Action.HELD, "unknown_code", {"code": "XX9"}),
        (mine, "Picked", Action.PICKED_UP, "", {}),
        (theirs, "Alice's ignored", Action.IGNORED, "in_the_past", {}),
    ]:
        SyncLogEntry.objects.create(
            company=bob.company,
            calendar=calendar,
            remote_id=title,
            title=title,
            action=action,
            code=code,
            params=params,
        )
    body = bob_client.get(reverse("visits:ignored")).content.decode()
    assert "Lunch" in body and "no guests from outside the company" in body
    assert "Offsite" in body and "The location code XX9 matches none of your locations" in body
    assert "Picked" not in body and "Alice's ignored" not in body
    assert reverse("visits:ignored") in bob_client.get(reverse("visits:list")).content.decode()


def test_bob_gets_404_for_alices_appointment_alice_sees_bobs(
    alice_client, bob_client, alice, bob, acme_hq
):
    alices = appointment(alice, acme_hq)
    bobs = appointment(bob, acme_hq)
    assert bob_client.get(reverse("visits:detail", args=[alices.pk])).status_code == 404
    assert alice_client.get(reverse("visits:detail", args=[bobs.pk])).status_code == 200
    assert Appointment.objects.count() == 2


def test_in_sandbox_mode_the_event_opens_in_the_sandbox_calendar(
    bob_client, bob, acme_hq, settings
):
    settings.PORTIER_SANDBOX = True
    made = synced(bob, acme_hq, title="Board")
    body = bob_client.get(reverse("visits:detail", args=[made.pk])).content.decode()
    link = f'href="{reverse("sandbox:calendar")}?source=google#event-evt-Board" id="open-event"'
    assert link in body and "calendar.google.com" not in body


def test_in_sandbox_mode_the_event_opens_in_its_own_sources_tab(bob_client, bob, acme_hq, settings):
    settings.PORTIER_SANDBOX = True
    made = synced(bob, acme_hq, title="Board")
    Appointment.objects.filter(pk=made.pk).update(source="microsoft")
    body = bob_client.get(reverse("visits:detail", args=[made.pk])).content.decode()
    assert f'href="{reverse("sandbox:calendar")}?source=microsoft#event-evt-Board"' in body


def test_outside_sandbox_mode_the_event_opens_in_google_calendar(
    bob_client, bob, acme_hq, settings
):
    settings.PORTIER_SANDBOX = False
    made = synced(bob, acme_hq, title="Board")
    body = bob_client.get(reverse("visits:detail", args=[made.pk])).content.decode()
    assert 'href="https://calendar.google.com/calendar/event?eid=abc123" target="_blank"' in body


def test_once_the_event_is_gone_there_is_no_link_to_it(bob_client, bob, acme_hq, settings):
    settings.PORTIER_SANDBOX = True
    made = synced(bob, acme_hq, title="Board")
    cancel_appointment(appointment=made, reason="event deleted")
    body = bob_client.get(reverse("visits:detail", args=[made.pk])).content.decode()
    assert 'id="open-event"' not in body and "Open the event in" not in body
