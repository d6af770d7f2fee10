"""Working the front desk: check in and out by code or row, the end-of-day list, walk-ins, the
on-site list and the badge."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import formats

from portier.checkin.models import Visit
from portier.checkin.notices import HOST_ARRIVAL
from portier.checkin.tests.helpers import at, visit_guest
from portier.outbox import delivery
from portier.outbox.models import Notification
from portier.testing.factories import LocationFactory
from portier.visits.models import Source

pytestmark = pytest.mark.django_db


def urls(location):
    return {
        name: reverse(f"checkin:{name}", args=[location.pk])
        for name in ("front_desk", "check_in", "check_out", "left", "walk_in", "on_site")
    }


def test_reception_checks_a_guest_in_by_typed_code_and_out_again(rita_client, rita, bob, acme_hq):
    u = urls(acme_hq)
    guest = visit_guest(bob, acme_hq)
    with time_machine.travel(at(days=2, hour=9, minute=45), tick=False):
        response = rita_client.post(u["check_in"], {"code": guest.check_in_code.lower()})
        page = rita_client.get(response.url).content.decode()
    assert response.url == f"{u['front_desk']}?guest={guest.pk}"
    assert "Ana Lima is checked in; Bob has been told." in page
    assert reverse("checkin:badge", args=[acme_hq.pk, guest.pk]) in page
    visit = Visit.objects.get(guest=guest)
    assert (visit.checked_in_by, visit.checked_in_via) == (rita, "desk")
    with time_machine.travel(at(days=2, hour=11), tick=False):
        again = rita_client.post(u["check_in"], {"code": guest.check_in_code}, follow=True)
        out = rita_client.post(u["check_out"], {"code": guest.check_in_code}, follow=True)
    assert "Ana Lima was already checked in." in again.content.decode()
    assert "Ana Lima is checked out (11:00)." in out.content.decode()
    assert Notification.objects.filter(kind=HOST_ARRIVAL).count() == 1


def test_a_refused_code_says_why_on_the_page(rita_client, bob, acme_hq):
    u = urls(acme_hq)
    guest = visit_guest(bob, acme_hq, start=at(days=3, hour=10))
    with time_machine.travel(at(days=2, hour=10), tick=False):
        wrong_day = rita_client.post(u["check_in"], {"code": guest.check_in_code}, follow=True)
        unknown = rita_client.post(u["check_in"], {"code": "ZZZZZZZZ"}, follow=True)
    assert "on " in wrong_day.content.decode() and "not today" in wrong_day.content.decode()
    assert "No guest has the code ZZZZZZZZ." in unknown.content.decode()
    assert not Visit.objects.exists()


def test_check_in_from_the_list_by_name(alice_client, bob, acme_hq):
    u = urls(acme_hq)
    guest = visit_guest(bob, acme_hq)
    with time_machine.travel(at(days=2, hour=10), tick=False):
        found = alice_client.get(u["front_desk"], {"q": "lima"}).content.decode()
        assert f'name="guest" value="{guest.pk}"' in found
        alice_client.post(u["check_in"], {"guest": guest.pk})
    assert Visit.objects.filter(guest=guest).exists()


def test_end_of_day_check_out_at_the_real_time_or_left_without(rita_client, bob, acme_hq):
    u = urls(acme_hq)
    stayed = visit_guest(bob, acme_hq, name="Stay Long")
    vanished = visit_guest(bob, acme_hq, name="Van Ished")
    with time_machine.travel(at(days=2, hour=10), tick=False):
        rita_client.post(u["check_in"], {"guest": stayed.pk})
        rita_client.post(u["check_in"], {"guest": vanished.pk})
        assert "Never checked out" not in rita_client.get(u["front_desk"]).content.decode()
    with time_machine.travel(at(days=2, hour=20, minute=30), tick=False):
        page = rita_client.get(u["front_desk"]).content.decode()
        rita_client.post(u["check_out"], {"guest": stayed.pk, "time": "17:45"})
        rita_client.post(u["left"], {"guest": vanished.pk})
        after = rita_client.get(u["front_desk"]).content.decode()
    assert "Never checked out" in page and "Stay Long" in page and "Van Ished" in page
    assert "Never checked out" not in after
    stayed_visit, vanished_visit = (
        Visit.objects.get(guest=stayed),
        Visit.objects.get(guest=vanished),
    )
    assert stayed_visit.checked_out_at == at(days=2, hour=17, minute=45)
    assert vanished_visit.left_without_checkout and vanished_visit.checked_out_at is None


def test_a_walk_in_is_checked_in_at_once_and_only_the_host_is_emailed(
    rita_client, rita, bob, acme_hq, smtp_sink
):
    u = urls(acme_hq)
    form = rita_client.get(u["walk_in"]).content.decode()
    assert "bob@acme.example" in form and "rita@acme.example" in form
    response = rita_client.post(
        u["walk_in"],
        {
            "name": "Wal Kin",
            "company_name": "Initech",
            "email": "wal@initech.example",
            "host": bob.pk,
        },
    )
    delivery.deliver_due()
    visit = Visit.objects.get()
    guest = visit.guest
    assert response.url == f"{u['front_desk']}?guest={guest.pk}"
    assert (guest.name, guest.company_name, guest.appointment.host) == ("Wal Kin", "Initech", bob)
    assert guest.appointment.source == Source.WALK_IN and visit.checked_in_by == rita
    assert [m["Subject"] for m in smtp_sink.messages] == [
        "Wal Kin (Initech) has arrived at Acme HQ"
    ]
    assert smtp_sink.messages[0]["To"] == "bob@acme.example"
    assert "Wal Kin" in rita_client.get(u["front_desk"]).content.decode()
    log = rita_client.get(reverse("checkin:visitor_log")).content.decode()
    assert "Wal Kin" in log and "Initech" in log


def test_a_walk_in_needs_no_email_but_a_name_and_a_host_of_the_company(
    rita_client, bob, carol, acme_hq
):
    u = urls(acme_hq)
    nameless = rita_client.post(u["walk_in"], {"name": " ", "host": bob.pk})
    outsider = rita_client.post(u["walk_in"], {"name": "Some One", "host": carol.pk})
    ok = rita_client.post(u["walk_in"], {"name": "No Mail", "host": bob.pk})
    assert nameless.status_code == outsider.status_code == 200
    assert ok.status_code == 302
    assert Visit.objects.get().guest.email == ""


def test_on_site_now_lists_who_is_in_and_prints(rita_client, bob, acme_hq):
    u = urls(acme_hq)
    inside = visit_guest(bob, acme_hq, name="In Side")
    left = visit_guest(bob, acme_hq, name="Al Ready Gone")
    visit_guest(bob, acme_hq, name="Not Yet")
    with time_machine.travel(at(days=2, hour=10), tick=False):
        for guest in (inside, left):
            rita_client.post(u["check_in"], {"guest": guest.pk})
        rita_client.post(u["check_out"], {"guest": left.pk})
        body = rita_client.get(u["on_site"]).content.decode()
    rows = body[body.index("<tbody>") :]  # (the messages above still name the checked-out one)
    assert "In Side" in rows and "Al Ready Gone" not in rows and "Not Yet" not in rows
    assert "1 visitor checked in and not out" in body
    assert "data-print" in body and "checkin/print.js" in body


def test_the_badge_shows_name_company_host_date_location_and_qr(rita_client, bob, acme_hq):
    u = urls(acme_hq)
    guest = visit_guest(bob, acme_hq)
    guest.company_name = "Initech"
    guest.save()
    badge = reverse("checkin:badge", args=[acme_hq.pk, guest.pk])
    assert rita_client.get(badge).status_code == 404  # not checked in yet
    with time_machine.travel(at(days=2, hour=10), tick=False):
        rita_client.post(u["check_in"], {"guest": guest.pk})
        body = rita_client.get(badge).content.decode()
    for text in ("Ana Lima", "Initech", "Bob", "Acme HQ", guest.check_in_code, "<svg"):
        assert text in body
    assert "checkin/badge.css" in body and "<script>" not in body


def test_pages_in_german(rita_client, rita, bob, acme_hq):
    rita.language = "de"
    rita.save()
    u = urls(acme_hq)
    guest = visit_guest(bob, acme_hq)
    with time_machine.travel(at(days=2, hour=10), tick=False):
        desk = rita_client.get(u["front_desk"]).content.decode()
        rita_client.post(u["check_in"], {"guest": guest.pk})
        badge = rita_client.get(reverse("checkin:badge", args=[acme_hq.pk, guest.pk]))
        on_site = rita_client.get(u["on_site"]).content.decode()
        walk_in = rita_client.get(u["walk_in"]).content.decode()
    assert "Empfang: Acme HQ" in desk and "Einchecken" in desk and "erwartet" in desk
    assert "Besucherausweis drucken" in badge.content.decode()
    assert "Jetzt vor Ort: Acme HQ" in on_site
    assert "Spontanbesuch erfassen" in walk_in


def test_a_desk_checks_out_only_guests_checked_in_there(rita_client, bob, acme, acme_hq):
    munich = LocationFactory(company=acme, name="Munich Lab")
    guest = visit_guest(bob, acme_hq)
    with time_machine.travel(at(days=2, hour=10), tick=False):
        rita_client.post(urls(acme_hq)["check_in"], {"guest": guest.pk})
        wrong = rita_client.post(
            urls(munich)["check_out"], {"code": guest.check_in_code}, follow=True
        )
        rita_client.post(urls(munich)["left"], {"guest": guest.pk})
    assert "Ana Lima is checked in at Acme HQ, not at Munich Lab." in wrong.content.decode()
    visit = Visit.objects.get()
    assert visit.checked_out_at is None and not visit.left_without_checkout


def test_the_host_sees_arrival_and_departure_on_the_appointment_page(
    bob_client, rita_client, bob, acme_hq
):
    guest = visit_guest(bob, acme_hq)
    page = reverse("visits:detail", args=[guest.appointment_id])
    assert "checked in" not in bob_client.get(page).content.decode()
    with time_machine.travel(at(days=2, hour=9, minute=52), tick=False):
        rita_client.post(urls(acme_hq)["check_in"], {"guest": guest.pk})
    with time_machine.travel(at(days=2, hour=11, minute=5), tick=False):
        rita_client.post(urls(acme_hq)["check_out"], {"guest": guest.pk})
        body = bob_client.get(page).content.decode()
    assert "checked in 09:52 · out 11:05" in body


def test_on_site_and_end_of_day_times_are_the_locations_even_for_a_user_elsewhere(
    rita_client, rita, bob, acme, acme_hq
):
    tokyo = LocationFactory(company=acme, name="Tokyo", time_zone="Asia/Tokyo")
    tokyo_guest = visit_guest(bob, tokyo, start=at(days=2, hour=10))  # 18:00 in Tokyo
    with time_machine.travel(at(days=2, hour=10), tick=False):
        rita_client.post(urls(tokyo)["check_in"], {"guest": tokyo_guest.pk})
    late = at(days=2, hour=16, minute=30)  # 00:30 the next day in Tokyo: after its day's end
    with time_machine.travel(late, tick=False):
        on_site = rita_client.get(urls(tokyo)["on_site"]).content.decode()
        desk = rita_client.get(urls(tokyo)["front_desk"]).content.decode()
    next_day = formats.date_format((late + timedelta(days=1)).date(), "DATE_FORMAT")
    assert f"as of {next_day}, 00:30 (Asia/Tokyo)" in on_site
    assert "Never checked out" in desk and ", 18:00" in desk
