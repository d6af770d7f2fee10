"""A recurring series: one invitation per guest, then e-mails only for moved or cancelled dates."""

from datetime import timedelta

import pytest
from django.test import Client

from portier.invitations import ics
from portier.invitations.kinds import Kind
from portier.invitations.services import guest_statuses, series_cancelled
from portier.invitations.tests.helpers import (
    GUEST_EMAILS,
    GUESTS,
    event_of,
    future,
    parts,
    read_qr,
    rows,
    subject,
    timing,
)
from portier.outbox.models import Status
from portier.visits.models import Appointment, Series
from portier.visits.services import GuestInfo, cancel_appointment, create_appointment
from portier.visits.services import update_appointment as update

pytestmark = pytest.mark.django_db
WEEKS = 4


@pytest.fixture
def series(bob, acme_hq, smtp_sink, django_capture_on_commit_callbacks):
    """A weekly marked series with four dates within the horizon, all synced in one page."""
    series = Series.objects.create(
        company=bob.company,
        host=bob,
        ical_uid="weekly@google.com",
        title="Weekly sync",
        rule="RRULE:FREQ=WEEKLY;BYDAY=TU",
    )
    with django_capture_on_commit_callbacks(execute=True):
        for week in range(WEEKS):
            start = future(days=3 + 7 * week, hour=9)
            create_appointment(
                company=bob.company,
                host=bob,
                location=acme_hq,
                title="Weekly sync",
                timing=timing(start),
                guests=GUESTS,
                source="google",
                ical_uid=series.ical_uid,
                instance_key=start.strftime("%Y%m%dT%H%M%S"),
                series=series,
            )
    return series


def dates(series):
    return list(Appointment.objects.filter(series=series).order_by("starts_at"))


def test_one_invitation_per_guest_for_the_whole_series(series, smtp_sink):
    assert sorted(r.rcpt_tos[0] for r in smtp_sink.received) == sorted(GUEST_EMAILS)
    assert {r.kind for r in rows()} == {Kind.SERIES_INVITATION}
    message = smtp_sink.messages_to("ann@example.org")[0]
    assert subject(message) == "Invitation to a series: Weekly sync"
    text, html, calendar_data, images = parts(message)
    first, *_others = dates(series)
    codes = [a.guests.get(email="ann@example.org").check_in_code for a in dates(series)]
    assert "every week on Tuesday" in text
    assert all(code in text and code in html for code in codes)
    assert read_qr(images["checkin-qr@portier"]) == codes[0]
    calendar, event = event_of(calendar_data)
    assert str(calendar["METHOD"]) == "REQUEST"
    assert str(event["UID"]) == ics.series_uid(series.pk, "ann@example.org")
    assert event["RRULE"]["FREQ"] == ["WEEKLY"]
    assert event.decoded("DTSTART") == first.starts_at
    # Their page lists every date with its code.
    token = first.guests.get(email="ann@example.org").token
    page = Client().get(f"/visit/{token}/")
    assert all(code in page.content.decode() for code in codes)
    assert guest_statuses(dates(series)[2])["ann@example.org"].status == Status.SENT


def test_a_moved_date_is_one_e_mail_per_guest_about_that_date(
    series, smtp_sink, django_capture_on_commit_callbacks
):
    smtp_sink.clear()
    moved = dates(series)[1]
    original = moved.starts_at
    with django_capture_on_commit_callbacks(execute=True):
        update(appointment=moved, timing=timing(original + timedelta(hours=5)))
    assert sorted(r.rcpt_tos[0] for r in smtp_sink.received) == sorted(GUEST_EMAILS)
    message = smtp_sink.messages_to("ben@example.net")[0]
    assert subject(message).startswith("Changed: Weekly sync")
    text, _html, calendar_data, _images = parts(message)
    assert "moved a date of the series" in text
    assert "09:00–10:00" in text and "14:00–15:00" in text
    _calendar, event = event_of(calendar_data)
    assert str(event["UID"]) == ics.series_uid(series.pk, "ben@example.net")
    assert event.decoded("RECURRENCE-ID") == original
    assert event.decoded("DTSTART") == original + timedelta(hours=5)


def test_a_renamed_date_sends_nothing(series, smtp_sink, django_capture_on_commit_callbacks):
    smtp_sink.clear()
    with django_capture_on_commit_callbacks(execute=True):
        for occurrence in dates(series):
            update(appointment=occurrence, title="Weekly sync (new name)")
    assert smtp_sink.messages == []


def test_a_whole_series_moved_is_one_e_mail_per_guest(
    series, smtp_sink, django_capture_on_commit_callbacks
):
    smtp_sink.clear()
    with django_capture_on_commit_callbacks(execute=True):
        for occurrence in dates(series):
            update(appointment=occurrence, timing=timing(occurrence.starts_at + timedelta(hours=1)))
    assert sorted(r.rcpt_tos[0] for r in smtp_sink.received) == sorted(GUEST_EMAILS)
    text, _html, calendar_data, _images = parts(smtp_sink.messages[0])
    assert f"moved {WEEKS} dates of the series" in text
    calendar = event_of(calendar_data)[0]
    assert len(calendar.events) == WEEKS
    assert len(rows(kind=Kind.UPDATE, status=Status.SKIPPED)) == 3 * (WEEKS - 1)


def test_a_cancelled_date_is_one_e_mail_per_guest(
    series, smtp_sink, django_capture_on_commit_callbacks
):
    smtp_sink.clear()
    cancelled = dates(series)[2]
    with django_capture_on_commit_callbacks(execute=True):
        cancel_appointment(appointment=cancelled, reason="occurrence cancelled")
    assert sorted(r.rcpt_tos[0] for r in smtp_sink.received) == sorted(GUEST_EMAILS)
    message = smtp_sink.messages_to("cem@example.com")[0]
    assert subject(message).startswith("Cancelled: Weekly sync")
    text, _html, calendar_data, _images = parts(message)
    assert "The other dates stay as they are." in text
    calendar, event = event_of(calendar_data)
    assert str(calendar["METHOD"]) == "CANCEL"
    assert event.decoded("RECURRENCE-ID") == cancelled.starts_at


def test_the_series_deleted_is_one_cancellation_per_guest(
    series, smtp_sink, django_capture_on_commit_callbacks
):
    """What the sync engine does when a series is deleted: cancel each date in one page."""
    smtp_sink.clear()
    with django_capture_on_commit_callbacks(execute=True):
        for occurrence in dates(series):
            cancel_appointment(appointment=occurrence, reason="occurrence cancelled")
    assert sorted(r.rcpt_tos[0] for r in smtp_sink.received) == sorted(GUEST_EMAILS)
    message = smtp_sink.messages_to("ann@example.org")[0]
    assert subject(message) == "Cancelled: Weekly sync (all dates)"
    calendar, event = event_of(parts(message)[2])
    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(event["UID"]) == ics.series_uid(series.pk, "ann@example.org")
    assert "RECURRENCE-ID" not in event
    assert guest_statuses(dates(series)[0])["ann@example.org"].kind == Kind.SERIES_CANCELLATION


def test_series_cancelled_by_the_engine_is_one_cancellation_per_guest(
    series, smtp_sink, django_capture_on_commit_callbacks
):
    smtp_sink.clear()
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):  # replayed
            series_cancelled(series)
        for occurrence in dates(series):
            cancel_appointment(appointment=occurrence)
    assert sorted(r.rcpt_tos[0] for r in smtp_sink.received) == sorted(GUEST_EMAILS)
    assert subject(smtp_sink.messages[0]) == "Cancelled: Weekly sync (all dates)"


def test_a_series_that_ends_early_is_one_e_mail_per_guest(
    series, smtp_sink, django_capture_on_commit_callbacks
):
    smtp_sink.clear()
    with django_capture_on_commit_callbacks(execute=True):
        for occurrence in dates(series)[2:]:
            cancel_appointment(appointment=occurrence, reason="occurrence cancelled")
    assert sorted(r.rcpt_tos[0] for r in smtp_sink.received) == sorted(GUEST_EMAILS)
    message = smtp_sink.messages[0]
    assert subject(message) == "Series ends: Weekly sync"
    calendar = event_of(parts(message)[2])[0]
    assert str(calendar["METHOD"]) == "CANCEL" and len(calendar.events) == 2


def test_a_guest_added_to_the_series_gets_one_invitation(
    series, smtp_sink, django_capture_on_commit_callbacks
):
    smtp_sink.clear()
    with django_capture_on_commit_callbacks(execute=True):
        for occurrence in dates(series):
            update(appointment=occurrence, guests=[*GUESTS, GuestInfo("dan@example.org", "Dan")])
    assert [r.rcpt_tos[0] for r in smtp_sink.received] == ["dan@example.org"]
    assert subject(smtp_sink.messages[0]) == "Invitation to a series: Weekly sync"
