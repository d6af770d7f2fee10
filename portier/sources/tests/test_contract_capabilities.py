"""Contract tests of the optional capabilities: each runs for the sources that declare it."""

import pytest
from django.urls import reverse

from portier.integrations import services
from portier.sources import registry
from portier.sources.base import Capability, ProviderError
from portier.sources.tests.conftest import sources_declaring
from portier.sync import channels
from portier.visits.models import Appointment

pytestmark = pytest.mark.django_db


def _post(connected, client, calendar, token):
    headers, body = connected.sim.notification(
        channel_id=calendar.channel_id, token=token, resource_id=calendar.channel_resource_id
    )
    url = reverse("integrations:notifications", args=[connected.slug])
    return client.post(url, data=body, content_type="application/json", **headers)


@pytest.mark.parametrize("source", sources_declaring(Capability.PUSH), indirect=True)
def test_a_push_message_brings_the_change(
    connected, sync, client, django_capture_on_commit_callbacks
):
    sync(connected.calendar)
    calendar = channels.open_channel(connected.calendar)
    assert calendar.channel_id and calendar.channel_expires_at
    connected.marked_event("Pushed")
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(connected, client, calendar, calendar.channel_token)
    assert response.status_code == registry.get(connected.slug).notification_status
    assert Appointment.objects.get().title == "Pushed"


@pytest.mark.parametrize("source", sources_declaring(Capability.PUSH), indirect=True)
def test_a_forged_push_message_changes_nothing(
    connected, sync, client, django_capture_on_commit_callbacks
):
    sync(connected.calendar)
    calendar = channels.open_channel(connected.calendar)
    connected.marked_event("Not yet")
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(connected, client, calendar, "forged-token")
    # An error would only make the provider retry.
    assert response.status_code == registry.get(connected.slug).notification_status
    assert not Appointment.objects.exists()
    calendar.refresh_from_db()
    assert calendar.sync_requested_at is None


def test_a_source_without_push_has_no_notification_address(client):
    without = [s for s in registry.all_sources() if not s.supports(Capability.PUSH)]
    for source in without:
        url = reverse("integrations:notifications", args=[source.slug])
        assert client.post(url).status_code == 404
    assert client.post("/integrations/nosuchsource/notifications/").status_code == 404


@pytest.mark.parametrize("source", sources_declaring(Capability.REVOKE), indirect=True)
def test_disconnect_revokes_the_grant_at_the_provider(connected):
    connection = connected.connection
    tokens = services.tokens_of(connection)
    services.disconnect(connection=connection)
    with pytest.raises(ProviderError) as raised, registry.client(connected.slug, tokens) as client:
        client.list_calendars()
    assert raised.value.reauth


def test_every_source_implements_what_it_declares():
    needs = {
        Capability.PUSH: ("watch", "stop_channel"),
        Capability.REVOKE: ("revoke",),
        Capability.SERIES_INSTANCES: ("instances",),
    }
    for source in registry.all_sources():
        for capability in source.capabilities:
            for method in needs[capability]:
                assert callable(getattr(source.client, method, None)), (source.slug, method)
        if source.supports(Capability.PUSH):
            assert source.parse_notification is not None, source.slug
        assert source.simulator, f"{source.slug} names no simulator for the contract suite"
