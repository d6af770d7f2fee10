"""What the fault simulation found (docs/reliability.md), each at the unit level: a guest
invited before a hold or an unmark-and-mark ends up with the host's final state."""

from datetime import UTC, timedelta

import pytest

from portier.invitations.tests.helpers import (
    GUEST_EMAILS,
    GUESTS,
    event_of,
    future,
    parts,
    subject,
    timing,
)
from portier.invitations.tests.test_changes import invited  # noqa: F401 (fixture)
from portier.outbox.delivery import deliver_due
from portier.visits.services import cancel_appointment, update_appointment

pytestmark = pytest.mark.django_db


def kinds_by_recipient(sink):
    return sorted((r.rcpt_tos[0], subject(r.message).split(":")[0]) for r in sink.received)


def test_a_visit_cancelled_while_on_hold_is_cancelled_for_its_guests(
    invited,  # noqa: F811
    smtp_sink,
    django_capture_on_commit_callbacks,
):
    """Found as cancelled-while-held-no-cancellation (seed 204)."""
    with django_capture_on_commit_callbacks(execute=True):
        update_appointment(appointment=invited, held_code="ZZQ9")
        cancel_appointment(appointment=invited)
    assert kinds_by_recipient(smtp_sink) == [(e, "Cancelled") for e in sorted(GUEST_EMAILS)]


def test_changes_made_during_a_hold_reach_the_guests_after_it(
    invited,  # noqa: F811
    smtp_sink,
    django_capture_on_commit_callbacks,
):
    """Found as held-then-released-changes-lost (seed 850)."""
    with django_capture_on_commit_callbacks(execute=True):
        update_appointment(appointment=invited, held_code="ZZQ9")
        update_appointment(appointment=invited, timing=timing(future(days=5, hour=15)))
    assert smtp_sink.messages == []  # on hold: the guests hear nothing yet
    with django_capture_on_commit_callbacks(execute=True):
        update_appointment(appointment=invited, held_code="")
    assert kinds_by_recipient(smtp_sink) == [(e, "Changed") for e in sorted(GUEST_EMAILS)]
    _text, _html, ics, _images = parts(smtp_sink.messages[0])
    assert event_of(ics)[1].decoded("DTSTART") == future(days=5, hour=15)


def test_a_guest_removed_while_the_event_was_unmarked_gets_a_cancellation(
    invited,  # noqa: F811
    smtp_sink,
):
    """Found as removed-guest-taken-for-expected-again (seed 307). No worker runs between the
    changes: the cancellations are still queued when the event is marked again."""
    cancel_appointment(appointment=invited)
    update_appointment(appointment=invited, guests=GUESTS[1:], reactivate=True)
    deliver_due()
    assert kinds_by_recipient(smtp_sink) == [(GUEST_EMAILS[0], "Cancelled")]


def test_a_visit_marked_again_before_its_cancellation_went_out_tells_the_move(
    invited,  # noqa: F811
    smtp_sink,
):
    """Found as revived-before-cancellation-sent-changes-lost (seed 1781)."""
    cancel_appointment(appointment=invited)
    update_appointment(appointment=invited, timing=timing(future(days=6, hour=15)), reactivate=True)
    deliver_due()
    assert kinds_by_recipient(smtp_sink) == [(e, "Changed") for e in sorted(GUEST_EMAILS)]


def test_series_invitation_shows_a_date_moved_before_it_went_out(
    bob, acme_hq, smtp_sink, django_capture_on_commit_callbacks
):
    """Found as series-invitation-ics-is-the-bare-rule (seeds 3, 233, 2560): the .ics was the
    bare rule, the moved date showed at its rule time."""
    import icalendar

    from portier.visits.models import Series
    from portier.visits.services import create_appointment

    series = Series.objects.create(
        company=bob.company,
        host=bob,
        ical_uid="weekly@google.com",
        title="Weekly sync",
        rule="RRULE:FREQ=WEEKLY;COUNT=3",
    )
    rule_time = future(days=10, hour=9)
    moved = rule_time + timedelta(hours=3)
    with django_capture_on_commit_callbacks(execute=True):
        for week, start in enumerate([future(days=3, hour=9), rule_time, future(days=17, hour=9)]):
            create_appointment(
                company=bob.company,
                host=bob,
                location=acme_hq,
                title="Weekly sync",
                timing=timing(moved if week == 1 else start),
                guests=GUESTS[:1],
                source="google",
                ical_uid=series.ical_uid,
                instance_key=start.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ"),
                series=series,
            )
    (message,) = smtp_sink.messages
    _text, _html, ics, _images = parts(message)
    master, exception = icalendar.Calendar.from_ical(ics).events
    assert master["RRULE"]["COUNT"] == [3]
    assert exception.decoded("RECURRENCE-ID") == rule_time
    assert exception.decoded("DTSTART") == moved
