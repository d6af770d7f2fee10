"""Sandbox mode offers Microsoft too: its consent page takes only the user's own signed hint,
and the sandbox calendar page edits Outlook events through the simulator's control API."""

from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
import requests
from django.urls import reverse

from portier.integrations.models import Connection

pytestmark = pytest.mark.django_db
MARKER = "invite@portier.example"
URL = reverse("sandbox:calendar") + "?source=microsoft"


def event_form(**changes):
    data = {
        "title": "Visit by Initech",
        "start": "2030-05-06T10:00",
        "end": "2030-05-06T11:00",
        "location": "",
        "attendees": f"{MARKER}\nGina <gina@initech.example>",
    }
    return {**data, **changes}


def test_connect_offers_only_the_users_own_sandbox_account(
    bob_client, bob, acme_hq, carol, sandbox_microsoft
):
    bob.primary_location = acme_hq
    bob.save()
    response = bob_client.post(reverse("integrations:connect", args=["microsoft"]))
    consent = response["Location"]
    assert consent.startswith(sandbox_microsoft.web_url)  # plain HTTP: no certificate warning
    query = parse_qs(urlsplit(consent).query)
    assert query["login_hint"] == [bob.email] and query["hint_sig"]
    page = requests.get(consent, timeout=10).text
    assert bob.email in page and carol.email not in page
    forged = consent.replace(bob.email.replace("@", "%40"), carol.email.replace("@", "%40"))
    assert requests.get(forged, timeout=10).status_code == 400  # the signature no longer fits
    other = sandbox_microsoft.server.identity
    with pytest.raises(ValueError):
        other.approve(consent, carol.email)
    back = urlsplit(sandbox_microsoft.approve_url(consent, account=bob.email))
    bob_client.get(f"{back.path}?{back.query}", follow=True)
    connection = Connection.objects.get(provider="microsoft")
    assert connection.account_id == bob.email


def test_the_sandbox_calendar_edits_outlook_events(
    alice_client, alice, sandbox_microsoft, settings
):
    settings.PORTIER_INVITE_ADDRESS = MARKER
    page = alice_client.get(URL).content.decode()
    assert 'id="tab-google"' in page and 'id="tab-microsoft"' in page
    assert "in Microsoft Outlook" in page
    response = alice_client.post(URL, event_form())
    assert response.status_code == 302 and response["Location"] == URL
    (event,) = sandbox_microsoft.events.values()
    assert event.subject == "Visit by Initech" and event.organizer == alice.email
    assert event.zone == "W. Europe Standard Time"  # alice's location: Europe/Berlin
    assert event.start.astimezone(ZoneInfo("Europe/Berlin")).hour == 10
    assert [a["emailAddress"]["address"] for a in event.attendees] == [
        MARKER,
        "gina@initech.example",
    ]
    page = alice_client.get(URL).content.decode()
    assert "Visit by Initech" in page and "Gina &lt;gina@initech.example&gt;" in page
    edit = reverse("sandbox:event_edit", args=[event.id]) + "?source=microsoft"
    assert alice_client.post(edit, event_form(title="Moved")).status_code == 302
    assert event.subject == "Moved"
    delete = reverse("sandbox:event_delete", args=[event.id]) + "?source=microsoft"
    assert alice_client.post(delete).status_code == 302
    assert not sandbox_microsoft.events


def test_carol_cannot_reach_alices_outlook_event(alice_client, carol_client, sandbox_microsoft):
    alice_client.post(URL, event_form())
    (event,) = sandbox_microsoft.events.values()
    edit = reverse("sandbox:event_edit", args=[event.id]) + "?source=microsoft"
    assert carol_client.get(edit).status_code == 302  # "no longer exists", back to her calendar
    delete = reverse("sandbox:event_delete", args=[event.id]) + "?source=microsoft"
    carol_client.post(delete)
    assert event.id in sandbox_microsoft.events
    assert carol_client.get(reverse("sandbox:calendar") + "?source=nosuch").status_code == 404
