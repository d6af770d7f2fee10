"""The sandbox calendar edits the host's events in the sandbox Google over its control API."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

MARKER = "invite@portier.example"


def event_form(**changes):
    data = {
        "title": "Visit by Initech",
        "start": "2030-05-06T10:00",
        "end": "2030-05-06T11:00",
        "location": "",
        "attendees": f"{MARKER}\nGina@Initech.example, colleague@acme.example",
    }
    return {**data, **changes}


def only_event(fake, calendar_id):
    events = [e for e in fake.store.calendars[calendar_id].events.values() if not e.cancelled]
    assert len(events) == 1
    return fake.get_event(calendar_id, events[0].id)


def test_first_visit_makes_the_hosts_sandbox_account_in_their_zone(
    alice_client, alice, sandbox_google
):
    page = alice_client.get(reverse("sandbox:calendar")).content.decode()
    account = sandbox_google.store.accounts[alice.email]
    assert account.time_zone == alice.primary_location.time_zone
    assert account.name == "Alice"
    assert "Portier does not follow this calendar yet" in page
    assert 'id="add-invite-address"' in page


def test_create_move_and_delete_an_event(alice_client, alice, sandbox_google, settings):
    settings.PORTIER_INVITE_ADDRESS = MARKER
    response = alice_client.post(reverse("sandbox:calendar"), event_form())
    assert response.status_code == 302, response.content.decode()[-2000:]
    event = only_event(sandbox_google, alice.email)
    zone = alice.primary_location.time_zone
    assert event["summary"] == "Visit by Initech"
    assert event["start"]["timeZone"] == zone
    assert event["start"]["dateTime"].startswith("2030-05-06T10:00:00")
    assert [a["email"] for a in event["attendees"]] == [
        MARKER,
        "gina@initech.example",
        "colleague@acme.example",
    ]
    listing = alice_client.get(reverse("sandbox:calendar")).content.decode()
    assert "Visit by Initech" in listing and "gina@initech.example" in listing

    edit_url = reverse("sandbox:event_edit", args=[event["id"]])
    form = alice_client.get(edit_url).content.decode()
    assert 'value="2030-05-06T10:00"' in form
    moved = alice_client.post(
        edit_url, event_form(start="2030-05-06T11:00", end="2030-05-06T12:00")
    )
    assert moved.status_code == 302
    event = only_event(sandbox_google, alice.email)
    assert event["start"]["dateTime"].startswith("2030-05-06T11:00:00")
    assert event["sequence"] == 1 and "recurrence" not in event

    delete = alice_client.post(reverse("sandbox:event_delete", args=[event["id"]]))
    assert delete.status_code == 302
    assert sandbox_google.store.calendars[alice.email].events[event["id"]].cancelled


def test_weekly_repeat_makes_a_series(alice_client, alice, sandbox_google):
    alice_client.post(reverse("sandbox:calendar"), event_form(weekly="on", weeks="4"))
    event = only_event(sandbox_google, alice.email)
    assert event["recurrence"] == ["RRULE:FREQ=WEEKLY;COUNT=4"]
    page = alice_client.get(reverse("sandbox:calendar")).content.decode()
    assert "weekly, 4 dates" in page
    alice_client.post(reverse("sandbox:calendar"), event_form(title="Open-ended", weekly="on"))
    titles = {
        e.fields["summary"]: e.recurrence
        for e in sandbox_google.store.calendars[alice.email].events.values()
    }
    assert titles["Open-ended"] == ["RRULE:FREQ=WEEKLY"]


def test_bad_input_is_shown_and_nothing_is_created(alice_client, alice, sandbox_google):
    response = alice_client.post(
        reverse("sandbox:calendar"), event_form(end="2030-05-06T09:00", attendees="no-at-sign")
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert (
        "The end must be after the start." in page
        and "no-at-sign is not an e-mail address." in page
    )
    assert not sandbox_google.store.calendars[alice.email].events


def test_without_the_sandbox_google_the_page_says_how_to_start_it(alice_client):
    page = alice_client.get(reverse("sandbox:calendar")).content.decode()
    assert "make run" in page


def test_pages_need_the_sandbox_and_a_login(client, alice_client, sandbox_google, settings):
    assert client.get(reverse("sandbox:calendar")).status_code == 302
    settings.PORTIER_SANDBOX = False
    assert alice_client.get(reverse("sandbox:calendar")).status_code == 404
    assert alice_client.post(reverse("sandbox:event_delete", args=["x"])).status_code == 404


def test_hosts_only_reach_their_own_sandbox_calendar(
    alice_client, carol_client, alice, sandbox_google
):
    alice_client.post(reverse("sandbox:calendar"), event_form())
    event = only_event(sandbox_google, alice.email)
    # Carol's pages work on Carol's calendar, where Alice's event does not exist.
    page = carol_client.get(reverse("sandbox:event_edit", args=[event["id"]]), follow=True)
    assert "no longer exists" in page.content.decode()
    carol_client.post(reverse("sandbox:event_delete", args=[event["id"]]))
    assert only_event(sandbox_google, alice.email)["status"] == "confirmed"
    assert "Visit by Initech" not in carol_client.get(reverse("sandbox:calendar")).content.decode()


@pytest.mark.django_db
def test_connect_preselects_the_hosts_own_sandbox_account(alice_client, alice, sandbox_google):
    sandbox_google.add_account("someone@else.example")
    response = alice_client.post(reverse("integrations:connect", args=["google"]))
    location = response["Location"]
    assert location.startswith(sandbox_google.auth_uri)
    assert parse_qs(urlsplit(location).query)["login_hint"] == [alice.email]
    assert alice.email in sandbox_google.store.accounts
    # The consent page then has her account selected, and approving connects it.
    back = sandbox_google.approve_url(location)
    page = alice_client.get(back, follow=True).content.decode()
    assert f"Google Calendar {alice.email} is connected." in page
    assert (
        "Portier does not follow"
        not in alice_client.get(reverse("sandbox:calendar")).content.decode()
    )


def test_the_list_shows_wall_times_of_the_calendar(alice_client, alice, sandbox_google):
    alice_client.post(reverse("sandbox:calendar"), event_form())
    page = alice_client.get(reverse("sandbox:calendar")).content.decode()
    assert "Mon, 6 May 2030, 10:00–11:00" in page
