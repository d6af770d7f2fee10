"""The visitor log: who was on site when, filtered by location and days, as page, CSV and API."""

import csv
import io
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from portier.checkin.models import Via, Visit
from portier.checkin.visitor_log import safe_cell
from portier.invitations.tests.helpers import timing
from portier.testing.factories import PASSWORD, LocationFactory
from portier.visits.services import GuestInfo, create_appointment

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")


def client_for(user) -> Client:
    client = Client()
    assert client.login(username=user.email, password=PASSWORD)
    return client


def visit(host, location, *, email, name, arrival, departure=None, company_name=""):
    """A guest who was checked in at `arrival` (and out at `departure`)."""
    appointment, _change = create_appointment(
        company=host.company,
        host=host,
        location=location,
        title="Visit",
        timing=timing(arrival, 60),
        guests=[GuestInfo(email, name)],
    )
    guest = appointment.guests.get()
    if company_name:
        guest.company_name = company_name
        guest.save()
    return Visit.objects.create(
        guest=guest,
        location=location,
        checked_in_at=arrival,
        checked_out_at=departure,
        checked_in_via=Via.DESK,
    )


@pytest.fixture
def week(bob, acme, acme_hq):
    """Three visits at HQ on 2 to 4 March 2026 and one at the warehouse on 3 March."""
    warehouse = LocationFactory(company=acme, name="Warehouse")
    with time_machine.travel(datetime(2026, 2, 20, 9, tzinfo=BERLIN)):
        visits = [
            visit(
                bob,
                acme_hq,
                email=f"g{day}@example.org",
                name=f"Guest {day}",
                arrival=datetime(2026, 3, day, 23, 30, tzinfo=BERLIN)
                if day == 2
                else datetime(2026, 3, day, 10, tzinfo=BERLIN),
                departure=datetime(2026, 3, day, 11, tzinfo=BERLIN) if day == 3 else None,
            )
            for day in (2, 3, 4)
        ]
        visits.append(
            visit(
                bob,
                warehouse,
                email="w@example.org",
                name='=HYPERLINK("http://evil.example")',
                arrival=datetime(2026, 3, 3, 9, tzinfo=BERLIN),
                company_name="+49 Evil",
            )
        )
    return warehouse, visits


def test_reception_filters_the_log_by_location_and_local_days(rita, acme_hq, week):
    client = client_for(rita)
    response = client.get(
        reverse("checkin:visitor_log"),
        {"location": acme_hq.pk, "start": "2026-03-02", "end": "2026-03-03"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    # 23:30 Berlin on 2 March is 22:30 UTC: still 2 March at the location.
    assert "Guest 2" in html and "Guest 3" in html
    assert "Guest 4" not in html and "HYPERLINK" not in html

    everywhere = client.get(
        reverse("checkin:visitor_log"), {"start": "2026-03-03", "end": "2026-03-03"}
    ).content.decode()
    assert "Guest 3" in everywhere and "HYPERLINK" in everywhere and "Guest 2" not in everywhere


def test_the_csv_export_is_safe_to_open_in_a_spreadsheet(alice_client, week):
    warehouse, _visits = week
    response = alice_client.get(
        reverse("checkin:visitor_log_csv"),
        {"location": warehouse.pk, "start": "2026-03-01", "end": "2026-03-31"},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "visitor-log-2026-03-01-2026-03-31.csv" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:5] == ["Name", "E-mail", "Company", "Host", "Location"]
    assert rows[1][0] == '\'=HYPERLINK("http://evil.example")'
    assert rows[1][2] == "'+49 Evil"
    assert rows[1][3:6] == ["Bob", "Warehouse", "2026-03-03 09:00"]
    assert len(rows) == 2


def test_every_dangerous_first_character_is_quoted():
    assert [safe_cell(v) for v in ["=1", "+1", "-1", "@a", "\tx", "ok", "", None, 5]] == [
        "'=1", "'+1", "'-1", "'@a", "'\tx", "ok", "", "", "5",
    ]  # fmt: skip


def test_the_api_lists_the_days_visits_for_reception(rita, acme_hq, week, api_token):
    response = Client().get(
        "/api/v1/visitor-log",
        {"location_id": acme_hq.pk, "from": "2026-03-03", "to": "2026-03-04"},
        **api_token(rita),
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["start"], body["end"]) == ("2026-03-03", "2026-03-04")
    names = [(e["name"], e["departure"] is not None) for e in body["entries"]]
    assert names == [("Guest 3", True), ("Guest 4", False)]
    assert body["entries"][0]["arrival"].startswith("2026-03-03T10:00:00+01:00")


def test_hosts_may_not_read_the_visitor_log(bob, bob_client, acme_hq, api_token):
    assert bob_client.get(reverse("checkin:visitor_log")).status_code == 403
    assert bob_client.get(reverse("checkin:visitor_log_csv")).status_code == 403
    response = Client().get("/api/v1/visitor-log", **api_token(bob))
    assert response.status_code == 403


def test_carol_gets_404_for_acmes_visitor_log(carol, carol_client, acme_hq, week, api_token):
    page = carol_client.get(reverse("checkin:visitor_log"), {"location": acme_hq.pk})
    assert page.status_code == 404
    csv_file = carol_client.get(reverse("checkin:visitor_log_csv"), {"location": acme_hq.pk})
    assert csv_file.status_code == 404
    api = Client().get("/api/v1/visitor-log", {"location_id": acme_hq.pk}, **api_token(carol))
    assert api.status_code == 404
    # Her own log shows nothing of Acme's.
    own = carol_client.get(
        reverse("checkin:visitor_log"), {"start": "2026-03-01", "end": "2026-03-31"}
    )
    assert "Guest 3" not in own.content.decode()


def test_a_range_of_more_than_a_year_is_refused(rita, api_token):
    response = Client().get(
        "/api/v1/visitor-log", {"from": "2025-01-01", "to": "2026-03-01"}, **api_token(rita)
    )
    assert response.status_code == 400
    assert "366 days" in response.json()["detail"]


def test_the_log_page_fits_a_phone_in_german(rita, week, acme_hq):
    rita.language = "de"
    rita.save()
    client = client_for(rita)
    html = client.get(
        reverse("checkin:visitor_log"), {"start": "2026-03-01", "end": "2026-03-31"}
    ).content.decode()
    assert "Besucherprotokoll" in html and "table-scroll" in html
    assert html.count("data-visit=") == 4


def test_the_default_period_includes_a_visit_after_midnight_at_the_location(
    bob, rita, acme_hq, api_token
):
    """Regression: the default "today" was the server's (UTC) date, so a Berlin visit at 00:30
    was missing from the log until 01:00 (02:00 in summer)."""
    arrival = datetime(2026, 3, 5, 0, 30, tzinfo=BERLIN)  # 4 March 23:30 UTC
    with time_machine.travel(arrival - timedelta(days=2), tick=False):
        visit(bob, acme_hq, email="late@example.org", name="Late Guest", arrival=arrival)
    with time_machine.travel(arrival + timedelta(minutes=10), tick=False):
        page = client_for(rita).get(reverse("checkin:visitor_log")).content.decode()
        api = Client().get("/api/v1/visitor-log", **api_token(rita)).json()
    assert "Late Guest" in page
    assert api["end"] == "2026-03-05" and [e["name"] for e in api["entries"]] == ["Late Guest"]
