"""Check-in and check-out rules: the window, the wrong place or day, twice is harmless, the
arrival notice goes out once, in the recipient's language."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from portier.checkin import services, states
from portier.checkin.models import Via, Visit
from portier.checkin.notices import HOST_ARRIVAL
from portier.checkin.services import CheckInRefused, UnknownCode, check_in, check_out, find_guest
from portier.checkin.tests.helpers import at, visit_guest
from portier.outbox import delivery
from portier.outbox.models import Notification
from portier.testing.factories import LocationFactory
from portier.visits.services import cancel_appointment

pytestmark = pytest.mark.django_db


def test_the_window_opens_thirty_minutes_before_and_closes_after_the_grace(bob, acme_hq):
    guest = visit_guest(bob, acme_hq, start=at(days=2, hour=10))  # 10:00–11:00, grace 120 min
    with (
        time_machine.travel(at(days=2, hour=9, minute=29), tick=False),
        pytest.raises(CheckInRefused, match="Too early.*starts at 10:00.*opens at 09:30"),
    ):
        check_in(guest, location=acme_hq)
    with (
        time_machine.travel(at(days=2, hour=13, minute=1), tick=False),
        pytest.raises(CheckInRefused, match="check-in closed at 13:00"),
    ):
        check_in(guest, location=acme_hq)
    assert not Visit.objects.exists()
    with time_machine.travel(at(days=2, hour=9, minute=30), tick=False):
        visit, new = check_in(guest, location=acme_hq)
    assert new and visit.checked_in_at == at(days=2, hour=9, minute=30)


def test_the_window_is_the_locations_setting(bob, acme_hq):
    acme_hq.check_in_opens_minutes, acme_hq.check_in_grace_minutes = 60, 0
    acme_hq.save()
    guest = visit_guest(bob, acme_hq, start=at(days=2, hour=10))
    with (
        time_machine.travel(at(days=2, hour=11, minute=1), tick=False),
        pytest.raises(CheckInRefused, match="closed at 11:00"),
    ):
        check_in(guest, location=acme_hq)
    with time_machine.travel(at(days=2, hour=9, minute=0), tick=False):
        assert check_in(guest, location=acme_hq)[1]


def test_a_code_for_another_location_says_where_and_when(bob, acme, acme_hq):
    munich = LocationFactory(company=acme, name="Munich Lab")
    guest = visit_guest(bob, acme_hq, start=at(days=2, hour=10))
    with (
        time_machine.travel(at(days=2, hour=10), tick=False),
        pytest.raises(CheckInRefused) as refused,
    ):
        check_in(guest, location=munich)
    message = str(refused.value.message)
    assert "Acme HQ" in message and "10:00" in message and "not at Munich Lab" in message
    assert str(at(days=2).day) in message  # the date


def test_a_code_for_another_day_says_which_day(bob, acme_hq):
    guest = visit_guest(bob, acme_hq, start=at(days=3, hour=10))
    with (
        time_machine.travel(at(days=2, hour=10), tick=False),
        pytest.raises(CheckInRefused, match="Acme HQ on .* at 10:00, not today"),
    ):
        check_in(guest, location=acme_hq)


def test_cancelled_and_held_visits_are_refused(bob, acme_hq):
    guest = visit_guest(bob, acme_hq)
    cancel_appointment(appointment=guest.appointment)
    held = visit_guest(bob, acme_hq, held_code="NOPE")
    with (
        time_machine.travel(at(days=2, hour=10), tick=False),
        pytest.raises(CheckInRefused, match="was cancelled"),
    ):
        check_in(guest, location=acme_hq)
        with pytest.raises(CheckInRefused, match="not confirmed"):
            check_in(held, location=acme_hq)


def test_a_location_that_requires_pre_registration_refuses_unregistered_guests(bob, acme_hq):
    acme_hq.requires_preregistration = True
    acme_hq.save()
    guest = visit_guest(bob, acme_hq)
    with (
        time_machine.travel(at(days=2, hour=10), tick=False),
        pytest.raises(CheckInRefused, match="has not pre-registered"),
    ):
        check_in(guest, location=acme_hq)
        guest.registered_at = at(days=1)
        guest.save()
        assert check_in(guest, location=acme_hq)[1]


def test_codes_are_found_in_any_case_and_from_the_qr_text(bob, acme_hq, globex):
    guest = visit_guest(bob, acme_hq)
    code = guest.check_in_code
    for text in (code, code.lower(), f" {code[:4]}-{code[4:]} ", f"https://x.example/c/{code}"):
        assert find_guest(acme_hq.company, text) == guest
    with pytest.raises(UnknownCode):
        find_guest(globex, code)  # another company's code is unknown
    with pytest.raises(UnknownCode):
        find_guest(acme_hq.company, "ZZZZZZZZ")


def test_checking_in_twice_is_harmless_and_tells_the_host_once(
    alice, bob, acme_hq, smtp_sink, django_capture_on_commit_callbacks
):
    guest = visit_guest(bob, acme_hq)
    guest.company_name = "Initech"
    guest.save()
    with time_machine.travel(at(days=2, hour=9, minute=45), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            first, new = check_in(guest, location=acme_hq, by=alice)
        with django_capture_on_commit_callbacks(execute=True):
            again, new_again = check_in(guest, location=acme_hq, by=alice)
        delivery.deliver_due()
    assert (new, new_again, again.pk) == (True, False, first.pk)
    mails = smtp_sink.messages_to("bob@acme.example")
    assert len(mails) == 1
    assert mails[0]["Subject"] == "Ana Lima (Initech) has arrived at Acme HQ"
    assert Notification.objects.filter(kind=HOST_ARRIVAL).count() == 1


def test_the_arrival_notice_is_in_each_recipients_language_and_also_goes_to_the_creator(
    alice, bob, rita, acme_hq, smtp_sink
):
    bob.language = "de"
    bob.save()
    guest = visit_guest(bob, acme_hq, created_by=alice)
    with time_machine.travel(at(days=2, hour=10), tick=False):
        check_in(guest, location=acme_hq, by=rita)
        delivery.deliver_due()
    (to_bob,) = smtp_sink.messages_to("bob@acme.example")
    (to_alice,) = smtp_sink.messages_to("alice@acme.example")
    assert to_bob["Subject"] == "Ana Lima ist in Acme HQ angekommen"
    assert to_alice["Subject"] == "Ana Lima has arrived at Acme HQ"
    assert not smtp_sink.messages_to("rita@acme.example")


def test_the_creator_who_checks_the_guest_in_is_not_told(alice, bob, acme_hq):
    guest = visit_guest(bob, acme_hq, created_by=alice)
    with time_machine.travel(at(days=2, hour=10), tick=False):
        check_in(guest, location=acme_hq, by=alice)
    assert list(Notification.objects.filter(kind=HOST_ARRIVAL).values_list("recipient")) == [
        ("bob@acme.example",)
    ]


def test_check_out_keeps_the_first_time_and_leaves_the_on_site_list(bob, acme_hq):
    guest = visit_guest(bob, acme_hq)
    with time_machine.travel(at(days=2, hour=10), tick=False):
        with pytest.raises(CheckInRefused, match="has not checked in"):
            check_out(guest)
        check_in(guest, location=acme_hq)
        assert list(Visit.objects.on_site(acme_hq)) == [guest.visit]
    with time_machine.travel(at(days=2, hour=12), tick=False):
        visit = check_out(guest, via=Via.API)
    with time_machine.travel(at(days=2, hour=13), tick=False):
        again = check_out(guest)
    assert visit.checked_out_at == again.checked_out_at == at(days=2, hour=12)
    assert again.checked_out_via == Via.API
    assert not Visit.objects.on_site(acme_hq).exists()
    guest.refresh_from_db()
    assert states.visit_state(guest) == states.CHECKED_OUT


def test_the_end_of_day_list_shows_who_never_checked_out(bob, acme_hq):
    staying = visit_guest(bob, acme_hq, name="Stay Long")
    leaving = visit_guest(bob, acme_hq, name="Gone Early")
    before_in, real_leave = at(days=2, hour=9), at(days=2, hour=18, minute=30)
    with time_machine.travel(at(days=2, hour=10), tick=False):
        check_in(staying, location=acme_hq)
        check_in(leaving, location=acme_hq)
        check_out(leaving)
    with time_machine.travel(at(days=2, hour=19, minute=59), tick=False):
        assert not states.never_checked_out(acme_hq).exists()  # the day is not over
    with time_machine.travel(at(days=2, hour=20), tick=False):
        assert [v.guest for v in states.never_checked_out(acme_hq)] == [staying]
    with time_machine.travel(at(days=3, hour=8), tick=False):  # still listed the next morning
        assert [v.guest for v in states.never_checked_out(acme_hq)] == [staying]
        with pytest.raises(CheckInRefused, match="cannot be earlier"):
            check_out(staying, at=before_in)
        visit = check_out(staying, at=real_leave)
    assert visit.checked_out_at == real_leave
    assert not states.never_checked_out(acme_hq).exists()


def test_left_without_check_out_takes_the_guest_off_site(bob, acme_hq):
    guest = visit_guest(bob, acme_hq)
    with time_machine.travel(at(days=2, hour=10), tick=False):
        check_in(guest, location=acme_hq)
    with time_machine.travel(at(days=2, hour=21), tick=False):
        visit = services.mark_left_without_checkout(guest)
        assert not states.never_checked_out(acme_hq).exists()
    assert visit.left_without_checkout and visit.checked_out_at is None
    guest.refresh_from_db()
    assert states.visit_state(guest) == states.LEFT


def test_once_checked_in_the_window_no_longer_matters(bob, acme_hq):
    guest = visit_guest(bob, acme_hq)
    with time_machine.travel(at(days=2, hour=10), tick=False):
        check_in(guest, location=acme_hq)
    with time_machine.travel(at(days=2, hour=10) + timedelta(days=1), tick=False):
        visit, new = check_in(guest, location=acme_hq)
    assert not new and visit.checked_in_at == at(days=2, hour=10)


def test_admins_set_the_front_desk_settings_on_the_location_form(alice_client, acme_hq):
    url = reverse("locations:edit", args=[acme_hq.pk])
    fields = {
        "name": acme_hq.name,
        "address": acme_hq.address,
        "time_zone": acme_hq.time_zone,
        "code": acme_hq.code,
        "language": "",
        "check_in_opens_minutes": 45,
        "check_in_grace_minutes": 60,
        "day_ends_at": "18:30",
        "requires_preregistration": "on",
        "house_rules_en": "Wear the badge.",
        "house_rules_de": "Ausweis tragen.",
        "retention_days": 30,
    }
    too_long = alice_client.post(url, {**fields, "check_in_opens_minutes": 5000})
    assert too_long.status_code == 200
    assert alice_client.post(url, fields).status_code == 302
    acme_hq.refresh_from_db()
    assert (acme_hq.check_in_opens_minutes, acme_hq.check_in_grace_minutes) == (45, 60)
    assert acme_hq.day_ends_at.strftime("%H:%M") == "18:30" and acme_hq.requires_preregistration
    assert (acme_hq.house_rules_de, acme_hq.retention_days) == ("Ausweis tragen.", 30)
