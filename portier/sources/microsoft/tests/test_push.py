"""Graph subscriptions: the validation handshake, notifications checked by clientState,
lifecycle notifications, renewal and deletion. The simulator reaches Portier's notification view
through Django's test client (no live server)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from portier.integrations import services
from portier.integrations.models import Calendar
from portier.sync import channels
from portier.sync.tasks import renew_channels
from portier.testing.sync_fixtures import BOB, MARKER, soon
from portier.visits.models import Appointment

pytestmark = pytest.mark.django_db
URL = "/integrations/microsoft/notifications/"


@pytest.fixture
def subscribed(ms, outlook_calendar, sync):
    sync(outlook_calendar)
    return channels.open_channel(outlook_calendar)


def test_the_handshake_echoes_the_token_as_plain_text(client):
    token = "?validationToken=Validation%3A%20a%20%3Cb%3E%26c"
    response = client.post(URL + token, data=b"", content_type="text/plain")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert response.content.decode() == "Validation: a <b>&c"  # URL-decoded, not re-encoded


def test_a_subscription_is_validated_and_a_notification_brings_the_change(
    ms, subscribed, django_capture_on_commit_callbacks
):
    (subscription,) = ms.subscriptions.values()  # connecting made one; replacing it deleted it
    assert subscription.resource == f"me/calendars/{subscribed.remote_id}/events"
    assert subscription.lifecycle_url == subscription.notification_url
    assert subscription.notification_url.endswith(URL)
    assert {(status, bool(text)) for _, status, text in ms.validation_answers} == {(200, True)}
    assert subscribed.channel_resource_id == subscription.id
    assert subscribed.channel_expires_at <= timezone.now() + timedelta(minutes=10_080)
    start = soon(days=2)
    ms.create_event(
        BOB,
        subject="Pushed",
        start=start,
        end=start + timedelta(hours=1),
        attendees=["g@ext.example", MARKER],
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert ms.notify(BOB) == [202]
    assert Appointment.objects.get().title == "Pushed"


def test_a_spoofed_client_state_is_rejected(ms, subscribed, django_capture_on_commit_callbacks):
    forged = f"{subscribed.channel_id}.not-the-secret"
    with django_capture_on_commit_callbacks(execute=True):
        assert ms.notify(BOB, client_state=forged) == [202]  # an error would only retry
        assert ms.notify(BOB, client_state="no-channel-at-all") == [202]
    assert Calendar.objects.get(pk=subscribed.pk).sync_requested_at is None


def test_a_notification_for_another_subscription_is_ignored(
    ms, subscribed, client, django_capture_on_commit_callbacks
):
    item = {
        "subscriptionId": "someone-elses",
        "clientState": f"{subscribed.channel_id}.{subscribed.channel_token}",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, data={"value": [item]}, content_type="application/json")
    assert response.status_code == 202
    assert Calendar.objects.get(pk=subscribed.pk).sync_requested_at is None


def test_lifecycle_missed_syncs_and_a_removed_subscription_is_replaced(
    ms, subscribed, django_capture_on_commit_callbacks
):
    start = soon(days=2)
    ms.create_event(
        BOB,
        subject="Missed",
        start=start,
        end=start + timedelta(hours=1),
        attendees=["g@ext.example", MARKER],
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert ms.notify(BOB, lifecycle="missed") == [202]
    assert Appointment.objects.get().title == "Missed"
    old = subscribed.channel_resource_id
    with django_capture_on_commit_callbacks(execute=True):
        assert ms.notify(BOB, lifecycle="subscriptionRemoved") == [202]
    calendar = Calendar.objects.get(pk=subscribed.pk)
    assert channels.needs_channel(calendar)
    renew_channels.call_local()
    calendar.refresh_from_db()
    assert calendar.channel_resource_id not in ("", old)
    assert list(ms.subscriptions) == [calendar.channel_resource_id]  # the old one deleted


def test_subscriptions_are_renewed_before_they_expire(ms, subscribed):
    expires = subscribed.channel_expires_at
    assert not channels.needs_channel(subscribed, expires - timedelta(days=2))
    assert channels.needs_channel(subscribed, expires - timedelta(hours=12))


def test_disconnecting_deletes_the_subscriptions(ms, subscribed, bob_client):
    assert ms.subscriptions
    url = reverse("integrations:disconnect", args=[subscribed.connection.pk])
    page = bob_client.get(url).content.decode()
    assert "revokes" not in page and "remove it there too" in page  # no revocation at Graph
    services.disconnect(connection=subscribed.connection)
    assert not ms.subscriptions


def test_carol_cannot_see_bobs_outlook_connection(bob_outlook, carol_client):
    response = carol_client.get(reverse("integrations:detail", args=[bob_outlook.pk]))
    assert response.status_code == 404


def test_connect_says_so_when_microsoft_cannot_be_reached(simulator, bob, acme_hq, bob_client):
    bob.primary_location = acme_hq
    bob.save()
    simulator.fake.stop()  # msal asks the authority's OpenID configuration first
    response = bob_client.post(reverse("integrations:connect", args=["microsoft"]), follow=True)
    assert "Microsoft Outlook could not be reached" in response.content.decode()
