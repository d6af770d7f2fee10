"""Changes to an appointment: exactly one e-mail per guest per change that matters to them."""

from datetime import timedelta

import pytest

from portier.invitations.kinds import Kind
from portier.invitations.services import appointment_changed
from portier.invitations.tests.helpers import (
    GUEST_EMAILS,
    GUESTS,
    event_of,
    future,
    parts,
    rows,
    subject,
    timing,
)
from portier.invitations.tests.test_invitations import create
from portier.outbox.models import Notification, Status
from portier.visits.models import Appointment
from portier.visits.services import cancel_appointment, update_appointment

pytestmark = pytest.mark.django_db


@pytest.fixture
def invited(bob, acme_hq, smtp_sink, django_capture_on_commit_callbacks):
    """An appointment whose three guests have their invitations; the sink emptied."""
    with django_capture_on_commit_callbacks(execute=True):
        appointment = create(bob, acme_hq, start=future(days=5, hour=10))
    assert len(smtp_sink.messages) == 3
    smtp_sink.clear()
    return appointment


def kinds_by_recipient(sink):
    return sorted((r.rcpt_tos[0], subject(r.message).split(":")[0]) for r in sink.received)


def test_a_time_change_sends_one_update_per_guest_naming_old_and_new(
    invited, smtp_sink, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        update_appointment(appointment=invited, timing=timing(future(days=5, hour=15)))

    assert kinds_by_recipient(smtp_sink) == [(e, "Changed") for e in sorted(GUEST_EMAILS)]
    text, html, calendar_data, _images = parts(smtp_sink.messages[0])
    for body in (text, html):
        assert "10:00–11:00" in body and "15:00–16:00" in body
    assert "Time: " in text and "10:00–11:00" in text.split("→")[0]
    _calendar, event = event_of(calendar_data)
    assert event["SEQUENCE"] == 2
    assert event.decoded("DTSTART") == future(days=5, hour=15)


def test_a_description_change_of_a_synced_appointment_sends_nothing(
    bob, acme_hq, smtp_sink, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        appointment = create(bob, acme_hq, source="google", ical_uid="ev1@google.com")
    smtp_sink.clear()
    with django_capture_on_commit_callbacks(execute=True):
        # The sync engine never stores a synced event's description: nothing guest-visible.
        change = update_appointment(
            appointment=appointment, guests=GUESTS, title="Quarterly review"
        )
    assert change.kind == "unchanged"
    assert smtp_sink.messages == []
    assert Notification.objects.filter(kind=Kind.UPDATE).count() == 0


def test_a_description_change_of_a_manual_appointment_is_an_update(
    invited, smtp_sink, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        update_appointment(appointment=invited, description="Please bring your ID.")
    assert len(smtp_sink.messages) == 3
    assert "Please bring your ID." in parts(smtp_sink.messages[0])[0]


def test_a_removed_guest_alone_gets_a_cancellation(
    invited, smtp_sink, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        update_appointment(appointment=invited, guests=GUESTS[1:])
    assert kinds_by_recipient(smtp_sink) == [("ann@example.org", "Cancelled")]
    text, _html, calendar_data, _images = parts(smtp_sink.messages[0])
    assert "removed you from the guest list" in text
    calendar, event = event_of(calendar_data)
    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(event["STATUS"]) == "CANCELLED"


def test_a_cancelled_appointment_sends_one_cancellation_each(
    invited, smtp_sink, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        cancel_appointment(appointment=invited, reason="event deleted")
    assert kinds_by_recipient(smtp_sink) == [(e, "Cancelled") for e in sorted(GUEST_EMAILS)]
    calendar, event = event_of(parts(smtp_sink.messages[0])[2])
    assert str(calendar["METHOD"]) == "CANCEL"
    assert event["SEQUENCE"] == invited.version + 1


def test_replaying_a_change_five_times_sends_it_once(
    invited, smtp_sink, django_capture_on_commit_callbacks
):
    new_time = timing(future(days=5, hour=16))
    changes = []
    for _ in range(5):
        with django_capture_on_commit_callbacks(execute=True):
            changes.append(update_appointment(appointment=invited, timing=new_time))
    assert [c.kind for c in changes] == ["updated"] + ["unchanged"] * 4
    # Also the outbox hook itself, handed the very same change again (a retried transaction).
    appointment = Appointment.objects.get(pk=invited.pk)
    for _ in range(5):
        with django_capture_on_commit_callbacks(execute=True):
            appointment_changed(appointment=appointment, change=changes[0])
    for _ in range(5):
        with django_capture_on_commit_callbacks(execute=True):
            cancel_appointment(appointment=appointment)
    assert kinds_by_recipient(smtp_sink) == sorted(
        [(e, "Changed") for e in GUEST_EMAILS] + [(e, "Cancelled") for e in GUEST_EMAILS]
    )
    assert Notification.objects.count() == 9


def test_rapid_changes_are_folded_into_one_update_from_the_last_known_state(
    invited, smtp_sink, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        update_appointment(appointment=invited, timing=timing(future(days=5, hour=12)))
        update_appointment(appointment=invited, timing=timing(future(days=5, hour=13)))
    assert kinds_by_recipient(smtp_sink) == [(e, "Changed") for e in sorted(GUEST_EMAILS)]
    text = parts(smtp_sink.messages[0])[0]
    assert "10:00–11:00" in text and "13:00–14:00" in text and "12:00" not in text
    skipped = rows(kind=Kind.UPDATE, status=Status.SKIPPED)
    assert len(skipped) == 3 and all("superseded" in r.last_error for r in skipped)


def test_an_older_update_is_never_sent_after_a_newer_one(
    invited, smtp_sink, django_capture_on_commit_callbacks, time_machine
):
    from portier.outbox import delivery

    with django_capture_on_commit_callbacks():  # written, not yet delivered
        update_appointment(appointment=invited, timing=timing(future(days=5, hour=12)))
    older = rows(kind=Kind.UPDATE)
    # The first update is delayed (say, a retry); the second change goes out first.
    Notification.objects.filter(pk__in=[r.pk for r in older]).update(next_attempt_at=future(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        update_appointment(appointment=invited, timing=timing(future(days=5, hour=13)))
    assert len(smtp_sink.messages) == 3
    Notification.objects.filter(pk__in=[r.pk for r in older]).update(
        next_attempt_at=future(days=-1)
    )
    report = delivery.deliver_due()
    assert (report.sent, report.skipped) == (0, 3)
    assert len(smtp_sink.messages) == 3


def test_a_guest_added_later_gets_an_invitation_and_the_others_nothing(
    invited, smtp_sink, django_capture_on_commit_callbacks
):
    from portier.visits.services import GuestInfo

    with django_capture_on_commit_callbacks(execute=True):
        update_appointment(appointment=invited, guests=[*GUESTS, GuestInfo("dan@example.org")])
    assert kinds_by_recipient(smtp_sink) == [("dan@example.org", "Invitation")]


def test_held_then_released_invites_then(
    bob, acme_hq, smtp_sink, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        appointment = create(bob, acme_hq, held_code="NOPE")
    assert rows() == []
    with django_capture_on_commit_callbacks(execute=True):
        update_appointment(appointment=appointment, held_code="")
    assert len(smtp_sink.messages) == 3
    assert {r.kind for r in rows()} == {Kind.INVITATION}


def test_a_cancelled_then_restored_appointment_invites_again(
    invited, smtp_sink, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        cancel_appointment(appointment=invited)
    with django_capture_on_commit_callbacks(execute=True):
        update_appointment(appointment=invited, reactivate=True)
    assert kinds_by_recipient(smtp_sink) == sorted(
        [(e, "Cancelled") for e in GUEST_EMAILS] + [(e, "Invitation") for e in GUEST_EMAILS]
    )


def test_a_change_after_the_end_sends_nothing(
    invited, smtp_sink, django_capture_on_commit_callbacks, time_machine
):
    time_machine.move_to(invited.ends_at + timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        update_appointment(appointment=invited, title="Renamed afterwards")
        cancel_appointment(appointment=invited)
    assert smtp_sink.messages == []
