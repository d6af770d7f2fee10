"""Retention: guests' personal data is erased a location's retention days after the visit,
exactly for the visits that are due, keeping the visit times for the log."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from portier.checkin import tasks
from portier.checkin.models import RetentionRun, Via, Visit
from portier.checkin.notices import HOST_GUEST_DECLINED
from portier.checkin.registration import decline, preregister
from portier.invitations.kinds import SERIES_KINDS
from portier.invitations.tests.helpers import timing
from portier.outbox.models import Notification
from portier.testing.factories import LocationFactory
from portier.visits.models import AppointmentVersion, Guest, Series
from portier.visits.services import GuestInfo, create_appointment, update_appointment

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")
INVITED = datetime(2026, 1, 5, 9, tzinfo=BERLIN)
VISIT = datetime(2026, 1, 10, 10, tzinfo=BERLIN)


def appointment_at(host, location, start, emails):
    appointment, _change = create_appointment(
        company=host.company,
        host=host,
        location=location,
        title="Audit",
        timing=timing(start, 60),
        guests=[GuestInfo(e, e.split("@")[0].title()) for e in emails],
    )
    return appointment


@pytest.fixture
def visits(bob, acme, acme_hq, smtp_sink, django_capture_on_commit_callbacks):
    """At HQ (30 days): one visit on 10 Jan (Ann came, Ben declined) and one on 12 Jan.
    At the warehouse (default 90 days): one on 10 Jan."""
    acme_hq.retention_days = 30
    acme_hq.save()
    warehouse = LocationFactory(company=acme, name="Warehouse")
    with time_machine.travel(INVITED, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            due = appointment_at(bob, acme_hq, VISIT, ["ann@example.org", "ben@example.org"])
            later = appointment_at(bob, acme_hq, VISIT + timedelta(days=2), ["cem@example.org"])
            elsewhere = appointment_at(bob, warehouse, VISIT, ["dan@example.org"])
        ann, ben = due.guests.get(email="ann@example.org"), due.guests.get(email="ben@example.org")
        preregister(guest=ann, name="Ann Arbor", company_name="Arbor", phone="+49 1")
        with django_capture_on_commit_callbacks(execute=True):
            decline(guest=ben)
    Visit.objects.create(
        guest=ann,
        location=acme_hq,
        checked_in_at=VISIT,
        checked_out_at=VISIT + timedelta(hours=1),
        checked_in_via=Via.KIOSK,
    )
    return due, later, elsewhere


def test_the_daily_task_erases_exactly_the_due_guests(visits, smtp_sink):
    due, later, elsewhere = visits
    ann = due.guests.get(email="ann@example.org")
    old_token = ann.token
    assert Notification.objects.filter(recipient="ann@example.org").count() == 1

    # 30 days after the end of the 10 January visit (11:00): nothing yet at 10:59 …
    with time_machine.travel(VISIT + timedelta(days=30, minutes=59), tick=False):
        tasks.erase_expired_guests()
    assert not RetentionRun.objects.exists()
    # … both guests of that visit one day later; the 12 January and warehouse ones stay.
    with time_machine.travel(VISIT + timedelta(days=31), tick=False):
        tasks.erase_expired_guests()

    erased = {g.pk: g for g in Guest.objects.filter(erased_at__isnull=False)}
    assert set(erased) == set(due.guests.values_list("pk", flat=True))
    ann = erased[ann.pk]
    assert ann.email == f"erased-{ann.pk}@invalid"
    assert (ann.name, ann.phone, ann.company_name) == ("", "", "")
    assert ann.rules_accepted_at is None and ann.registered_at is None and ann.token != old_token
    assert [g.email for g in later.guests.all()] == ["cem@example.org"]
    assert [g.email for g in elsewhere.guests.all()] == ["dan@example.org"]
    # The visit's times stay, for the log.
    visit = Visit.objects.get(guest=ann)
    assert visit.checked_in_at == VISIT and visit.checked_out_at == VISIT + timedelta(hours=1)
    # No trace of the addresses in the outbox or the recorded guest lists.
    for email in ("ann@example.org", "ben@example.org"):
        assert not Notification.objects.filter(recipient=email).exists()
        assert not Notification.objects.filter(key__contains=email).exists()
        assert not Notification.objects.filter(data__icontains=email).exists()
        assert not AppointmentVersion.objects.filter(fingerprint__icontains=email).exists()
        due.refresh_from_db()
        assert email not in due.fingerprint["guests"]
    declined_notice = Notification.objects.get(kind=HOST_GUEST_DECLINED)
    assert declined_notice.data == {"erased": True}
    (run,) = RetentionRun.objects.all()
    assert (run.location, run.guests_erased) == (due.location, 2)
    assert run.notifications_erased == 3  # two invitations, one decline notice
    # The next day's run finds nothing new and writes no audit row.
    with time_machine.travel(VISIT + timedelta(days=32), tick=False):
        tasks.erase_expired_guests()
    assert RetentionRun.objects.count() == 1
    assert Client().get(reverse("invitations:visit", args=[old_token])).status_code == 404


def test_an_erased_guest_shows_as_erased_in_the_visitor_log(visits, alice_client):
    due, _later, _elsewhere = visits
    with time_machine.travel(VISIT + timedelta(days=31), tick=False):
        tasks.erase_expired_guests()
    html = alice_client.get(
        reverse("checkin:visitor_log"), {"start": "2026-01-10", "end": "2026-01-10"}
    ).content.decode()
    assert "erased" in html and "Ann" not in html
    assert "Acme HQ: 2 guests erased" in html
    csv = alice_client.get(
        reverse("checkin:visitor_log_csv"), {"start": "2026-01-10", "end": "2026-01-10"}
    ).content.decode()
    assert csv.splitlines()[1].startswith("erased,,,Bob,Acme HQ,2026-01-10 10:00,2026-01-10 11:00")


def test_a_series_invitation_is_erased_with_the_guests_last_date(bob, acme_hq):
    acme_hq.retention_days = 30
    acme_hq.save()
    series = Series.objects.create(company=bob.company, host=bob, ical_uid="weekly@x", title="W")
    with time_machine.travel(INVITED, tick=False):
        first = appointment_at(bob, acme_hq, VISIT, [])
        first.series = series
        first.save()
        second = appointment_at(bob, acme_hq, VISIT + timedelta(days=60), [])
        second.series = series
        second.save()
        for date in (first, second):
            update_appointment(appointment=date, guests=[GuestInfo("sam@example.org", "Sam")])
    invitation = Notification.objects.get(kind__in=SERIES_KINDS)
    assert invitation.recipient == "sam@example.org"

    with time_machine.travel(VISIT + timedelta(days=31), tick=False):
        tasks.erase_expired_guests()
    assert first.guests.get().erased_at is not None
    assert second.guests.get().erased_at is None
    invitation.refresh_from_db()
    assert invitation.recipient == "sam@example.org"  # the series still has Sam's next date

    with time_machine.travel(VISIT + timedelta(days=92), tick=False):
        tasks.erase_expired_guests()
    invitation.refresh_from_db()
    assert invitation.recipient.startswith("erased-") and "sam@" not in invitation.key
    assert not Notification.objects.filter(recipient="sam@example.org").exists()
