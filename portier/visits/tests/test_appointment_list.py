"""The appointments list: upcoming then past, filters, search, who sees what, live updates."""

import html
import re

import pytest
from django.urls import reverse

from portier.testing.factories import LocationFactory
from portier.visits import listing
from portier.visits.models import Appointment, GuestKind
from portier.visits.services import GuestInfo, cancel_appointment
from portier.visits.tests.helpers import appointment, at, synced

pytestmark = pytest.mark.django_db
LIST = reverse("visits:list")


def titles(response) -> list[str]:
    body = response.content.decode()
    return [html.unescape(t) for t in re.findall(r'<a href="/appointments/\d+/">([^<]+)</a>', body)]


def test_upcoming_soonest_first_then_past_latest_first(bob_client, bob, acme_hq):
    appointment(bob, acme_hq, title="In a week", start=at(days=7))
    appointment(bob, acme_hq, title="Tomorrow", start=at(days=1))
    appointment(bob, acme_hq, title="Last month", start=at(days=-30))
    appointment(bob, acme_hq, title="Yesterday", start=at(days=-1))
    response = bob_client.get(LIST)
    assert titles(response) == ["Tomorrow", "In a week", "Yesterday", "Last month"]
    body = response.content.decode()
    assert (
        body.index("Upcoming")
        < body.index("Tomorrow")
        < body.index("Past")
        < body.index("Yesterday")
    )


def test_a_row_shows_time_at_the_location_host_guests_and_source(alice_client, bob, acme, acme_hq):
    tokyo = LocationFactory(company=acme, name="Tokyo office", time_zone="Asia/Tokyo")
    appointment(
        bob,
        tokyo,
        title="Tokyo visit",
        start=at(days=2, hour=10),  # 10:00 in Berlin
        guests=[
            GuestInfo("ann@example.org", "Ann"),
            GuestInfo("ben@example.net", "Ben"),
            GuestInfo("dora@acme.example", "Dora", kind=GuestKind.COLLEAGUE),
        ],
    )
    body = alice_client.get(LIST).content.decode()
    row = body[body.index("Tokyo visit") - 400 :]
    start = at(days=2, hour=10).astimezone(tokyo.zone)
    assert f"{start:%H:%M}–" in row and "JST" in row
    assert "Tokyo office" in row and "Bob" in row and "manual" in row
    assert re.search(r'<td data-label="Guests">2</td>', row)  # colleagues are not counted


def test_invitation_state_badges(bob_client, bob, acme_hq, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        appointment(bob, acme_hq, title="Sent ones")
    appointment(bob, acme_hq, title="Held one", held_code="NOPE")
    body = bob_client.get(LIST).content.decode()
    assert "2 sent" in body
    assert "held: code NOPE" in body and "2 not e-mailed" in body


def test_cancelled_and_synced_rows_are_marked(bob_client, bob, acme_hq):
    manual = appointment(bob, acme_hq, title="Called off")
    cancel_appointment(appointment=manual)
    synced(bob, acme_hq, title="From Google")
    body = bob_client.get(LIST).content.decode()
    assert "status-cancelled" in body
    google_row = body[body.index("From Google") :]
    assert "Google" in google_row[google_row.index('<td data-label="Source">') :]


def test_filter_by_location(alice_client, alice, acme, acme_hq):
    branch = LocationFactory(company=acme, name="Branch")
    appointment(alice, acme_hq, title="At HQ")
    appointment(alice, branch, title="At the branch")
    response = alice_client.get(LIST, {"location": branch.pk})
    assert titles(response) == ["At the branch"]


def test_filter_by_date_in_the_location_zone(alice_client, alice, acme_hq):
    appointment(alice, acme_hq, title="Late evening", start=at(days=4, hour=23, minute=30))
    appointment(alice, acme_hq, title="Next morning", start=at(days=5, hour=8))
    day = at(days=4).date()
    response = alice_client.get(LIST, {"location": acme_hq.pk, "date": day.isoformat()})
    # 23:30 in Berlin is already the next day in UTC: the location's day decides.
    assert titles(response) == ["Late evening"]


def test_search_by_title_or_guest(bob_client, bob, acme_hq):
    appointment(bob, acme_hq, title="Budget talk", guests=[GuestInfo("zed@example.org", "Zed")])
    appointment(bob, acme_hq, title="Hiring", guests=[GuestInfo("yan@example.org", "Yan Li")])
    assert titles(bob_client.get(LIST, {"q": "budget"})) == ["Budget talk"]
    assert titles(bob_client.get(LIST, {"q": "yan li"})) == ["Hiring"]
    assert titles(bob_client.get(LIST, {"q": "zed@"})) == ["Budget talk"]
    assert "No appointments match." in bob_client.get(LIST, {"q": "nothing"}).content.decode()


def test_bob_sees_his_own_alice_sees_all_of_acme(
    alice_client, bob_client, carol_client, alice, bob, carol, acme_hq, globex_office
):
    appointment(alice, acme_hq, title="Alice's")
    appointment(bob, acme_hq, title="Bob's")
    appointment(carol, globex_office, title="Carol's")
    assert titles(bob_client.get(LIST)) == ["Bob's"]
    assert sorted(titles(alice_client.get(LIST))) == ["Alice's", "Bob's"]
    assert titles(carol_client.get(LIST)) == ["Carol's"]


def test_a_filter_with_another_companys_location_is_ignored(carol_client, carol, acme_hq):
    body = carol_client.get(LIST, {"location": acme_hq.pk}).content.decode()
    assert "Acme HQ" not in body


def test_paging_runs_from_upcoming_into_past(bob, acme_hq):
    for i in range(3):
        appointment(bob, acme_hq, title=f"Up {i}", start=at(days=i + 1), guests=[])
        appointment(bob, acme_hq, title=f"Old {i}", start=at(days=-i - 1), guests=[])
    pages = [
        listing.page_of(Appointment.objects.all(), now=at(0, 0), number=n, per_page=4)
        for n in (1, 2, 3)
    ]
    assert [[r.appointment.title for r in p.rows] for p in pages] == [
        ["Up 0", "Up 1", "Up 2", "Old 0"],
        ["Old 1", "Old 2"],
        ["Old 1", "Old 2"],  # past the end: the last page
    ]
    assert [p.number for p in pages] == [1, 2, 2]
    assert [p.has_next for p in pages] == [True, False, False]
    assert pages[0].upcoming == 3 and pages[0].first_past == 3


def test_htmx_polling_gets_only_the_rows(bob_client, bob, acme_hq):
    appointment(bob, acme_hq, title="Polled")
    page = bob_client.get(LIST, {"q": "Poll"}).content.decode()
    assert 'hx-trigger="every 10s"' in page and "htmx.min.js" in page
    assert 'hx-get="/appointments/?q=Poll&amp;page=1"' in page
    rows = bob_client.get(LIST, {"q": "Poll"}, HTTP_HX_REQUEST="true").content.decode()
    assert rows.lstrip().startswith('<div id="appointment-rows"') and "<html" not in rows
    assert "Polled" in rows


def test_empty_list_explains_how_appointments_arrive(bob_client):
    body = bob_client.get(LIST).content.decode()
    assert "No appointments yet." in body and reverse("visits:create") in body


def test_german_list(bob_client, bob, acme_hq):
    bob.language = "de"
    bob.save()
    appointment(bob, acme_hq, title="Termin")
    body = bob_client.get(LIST).content.decode()
    assert "Anstehend" in body and "Gäste einladen" in body


def test_a_cancelled_appointment_is_not_counted_upcoming_and_says_its_cancellation_went_out(
    bob_client, bob, acme_hq, django_capture_on_commit_callbacks, smtp_sink
):
    with django_capture_on_commit_callbacks(execute=True):
        kept = appointment(bob, acme_hq, title="Kept", start=at(days=1))
        called_off = appointment(bob, acme_hq, title="Called off", start=at(days=2))
    with django_capture_on_commit_callbacks(execute=True):
        cancel_appointment(appointment=called_off)
    assert len(smtp_sink.messages_to("ann@example.org")) == 3  # two invitations, a cancellation
    body = bob_client.get(LIST).content.decode()
    assert "1 upcoming appointment " in body or "1 upcoming appointment<" in body
    row = body[body.index("Called off") : body.index("</tr>", body.index("Called off"))]
    assert "2 cancellations sent" in row and "status-sent" not in row
    kept_row = body[body.index(">Kept<") : body.index("</tr>", body.index(">Kept<"))]
    assert "2 sent" in kept_row and kept.is_cancelled is False


def test_a_held_appointment_shows_no_location_until_the_code_is_valid(bob_client, bob, acme_hq):
    held = appointment(bob, acme_hq, title="Held one", held_code="NOPE")
    body = bob_client.get(LIST).content.decode()
    row = body[body.index("Held one") : body.index("</tr>", body.index("Held one"))]
    assert "not decided yet" in row and acme_hq.name not in row
    detail = bob_client.get(reverse("visits:detail", args=[held.pk])).content.decode()
    where = detail[detail.index("<dt>Location</dt>") : detail.index("<dt>Host</dt>")]
    assert "not decided yet" in where and acme_hq.name not in where
