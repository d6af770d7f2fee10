"""The push intake's short way (portier/integrations/push.py), for every source with push: the
answers Django's full stack gives, the same effect on the calendar, and channels that keep
working when they are renewed or SECRET_KEY changes."""

import pytest
from django.test import Client
from django.urls import reverse

from portier.integrations.models import Calendar, channel_token_digest
from portier.sources.base import Capability
from portier.sources.tests.conftest import sources_declaring
from portier.sync import channels

pytestmark = pytest.mark.django_db
PUSH_SOURCES = sources_declaring(Capability.PUSH)
SHORT_WAY = "portier.integrations.push.PushMiddleware"
MARKS = ("sync_requested_at", "sync_queued_at", "push_received_at")


def _post(connected, client, channel_id, token, resource_id):
    headers, body = connected.sim.notification(
        channel_id=channel_id, token=token, resource_id=resource_id
    )
    url = reverse("integrations:notifications", args=[connected.slug])
    return client.post(url, data=body, content_type="application/json", **headers)


def notice_of(calendar):
    return calendar.channel_id, calendar.channel_token, calendar.channel_resource_id


def _full_stack(settings) -> Client:
    """A client whose requests take every middleware and the view, as before the short way."""
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if name != SHORT_WAY]
    return Client()


def _answer(response):
    return response.status_code, response.content, response["Content-Type"]


def _marks(calendar):
    return Calendar.objects.filter(pk=calendar.pk).values(*MARKS).get()


def _unmark(calendar):
    Calendar.objects.filter(pk=calendar.pk).update(**dict.fromkeys(MARKS))


@pytest.mark.parametrize("source", PUSH_SOURCES, indirect=True)
def test_forged_and_unknown_channels_get_the_answer_the_full_stack_gives(
    connected, sync, settings, django_capture_on_commit_callbacks
):
    sync(connected.calendar)
    calendar = channels.open_channel(connected.calendar)
    _unmark(calendar)
    resource = calendar.channel_resource_id
    outsiders = [
        (calendar.channel_id, "forged-token", resource),
        (calendar.channel_id, calendar.channel_token + "x", resource),
        (calendar.channel_id, calendar.channel_token, "someone-elses-resource"),
        ("unknown-channel", calendar.channel_token, resource),
    ]
    short_way = Client()
    with django_capture_on_commit_callbacks(execute=True) as enqueued:
        answers = [_answer(_post(connected, short_way, *notice)) for notice in outsiders]
        responses = [_post(connected, _full_stack(settings), *notice) for notice in outsiders]
    assert answers == [_answer(response) for response in responses]
    assert enqueued == []
    assert set(_marks(calendar).values()) == {None}


@pytest.mark.parametrize("source", PUSH_SOURCES, indirect=True)
def test_a_valid_push_marks_the_calendar_due_as_the_full_stack_does(
    connected, sync, settings, django_capture_on_commit_callbacks
):
    sync(connected.calendar)
    calendar = channels.open_channel(connected.calendar)
    notice = notice_of(calendar)
    seen = []
    for client in (Client(), _full_stack(settings)):
        _unmark(calendar)
        with django_capture_on_commit_callbacks(execute=False) as enqueued:
            response = _post(connected, client, *notice)
        marks = _marks(calendar)
        assert None not in marks.values()  # due, a sync queued, the push's time kept
        seen.append((_answer(response), len(enqueued), marks["push_received_at"] is not None))
    short, full = seen
    assert short == full
    assert short[1] == 1  # one sync enqueued


@pytest.mark.parametrize("source", PUSH_SOURCES, indirect=True)
def test_a_renewed_channel_counts_and_the_old_one_does_not(
    connected, sync, client, django_capture_on_commit_callbacks
):
    sync(connected.calendar)
    old = channels.open_channel(connected.calendar)
    old_notice = notice_of(old)
    renewed = channels.open_channel(Calendar.objects.get(pk=old.pk))
    assert renewed.channel_id != old.channel_id
    assert renewed.channel_token_hmac == channel_token_digest(renewed.channel_token)
    _unmark(renewed)
    stale_token = (renewed.channel_id, old.channel_token, renewed.channel_resource_id)
    with django_capture_on_commit_callbacks(execute=False):
        _post(connected, client, *old_notice)
        _post(connected, client, *stale_token)
    assert set(_marks(renewed).values()) == {None}
    with django_capture_on_commit_callbacks(execute=False):
        _post(connected, client, *notice_of(renewed))
    assert _marks(renewed)["sync_requested_at"] is not None


@pytest.mark.parametrize("source", PUSH_SOURCES, indirect=True)
def test_after_secret_key_changes_channels_keep_working_and_forgeries_still_fail(
    connected, sync, client, settings, django_capture_on_commit_callbacks
):
    sync(connected.calendar)
    calendar = channels.open_channel(connected.calendar)
    _unmark(calendar)
    made_with_old_key = calendar.channel_token_hmac
    settings.SECRET_KEY = "a-new-secret-key-after-a-leak-" * 2
    resource = calendar.channel_resource_id
    with django_capture_on_commit_callbacks(execute=False):
        _post(connected, client, calendar.channel_id, "forged-token", resource)
    assert set(_marks(calendar).values()) == {None}
    assert Calendar.objects.get(pk=calendar.pk).channel_token_hmac == made_with_old_key
    with django_capture_on_commit_callbacks(execute=False):
        _post(connected, client, calendar.channel_id, calendar.channel_token, resource)
    assert _marks(calendar)["sync_requested_at"] is not None
    # The digest was made anew with the new key: the next push takes the short way again.
    stored = Calendar.objects.get(pk=calendar.pk).channel_token_hmac
    assert stored != made_with_old_key
    assert stored == channel_token_digest(calendar.channel_token)
