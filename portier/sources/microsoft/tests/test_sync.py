"""Outlook end to end: msal against the simulated identity platform, Graph through the client,
the engine, appointments and e-mail."""

import threading
import time
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from portier.integrations import services
from portier.integrations.models import Calendar, Connection, Status
from portier.sources import registry
from portier.sources.base import ProviderError
from portier.sources.microsoft.auth import MicrosoftOAuth
from portier.sync.models import SyncLogEntry
from portier.testing.sync_fixtures import BOB, MARKER, soon
from portier.visits.models import Appointment

pytestmark = pytest.mark.django_db
GUEST = "peter@initech.example"
ROOM = {
    "type": "resource",
    "status": {"response": "accepted"},
    "emailAddress": {"address": "lobby-room@acme.example", "name": "Lobby room"},
}


def marked(ms, title="Visit from Initech", start=None, **fields):
    start = start or soon(days=2)
    return ms.create_event(
        BOB,
        subject=title,
        start=start,
        end=start + timedelta(hours=1),
        attendees=[GUEST, MARKER, ROOM],
        **fields,
    )


def test_connecting_goes_through_msal_with_pkce(ms, bob_outlook, settings):
    assert bob_outlook.account_id == BOB and bob_outlook.status == Status.CONNECTED
    assert {c.name for c in bob_outlook.calendars.all()} == {"Calendar", "Team"}
    assert bob_outlook.refresh_token  # stored encrypted (EncryptedTextField)
    # The code is bound to the verifier: msal's flow with another verifier is refused.
    flow = MicrosoftOAuth()
    redirect = services.callback_url("microsoft")
    started = flow.start(redirect_uri=redirect)
    query = parse_qs(urlsplit(started.url).query)
    assert query["code_challenge_method"] == ["S256"]
    assert "offline_access" in query["scope"][0] and "Calendars.Read" in query["scope"][0]
    code = parse_qs(urlsplit(ms.approve_url(started.url, account=BOB)).query)["code"][0]
    tampered = started.code_verifier.replace('"code_verifier": "', '"code_verifier": "x')
    with pytest.raises(ProviderError) as refused:
        flow.finish(redirect_uri=redirect, code=code, code_verifier=tampered)
    assert "code_verifier" in str(refused.value)


def test_a_marked_event_becomes_an_appointment_and_invites_the_guest(ms, outlook_calendar, sync):
    event = marked(ms, location="Lobby")
    ms.create_event(
        BOB, subject="Lunch", start=soon(days=3), end=soon(days=3, hour=11), attendees=[GUEST]
    )
    sync(outlook_calendar)
    appointment = Appointment.objects.get()
    assert appointment.title == "Visit from Initech" and appointment.source == "microsoft"
    assert appointment.remote_id == event.id
    assert [g.email for g in appointment.guests.all()] == [GUEST]  # no room, no marker
    assert len(mail.outbox) == 1 and GUEST in mail.outbox[0].to[0]  # the invitation
    # Graph's times came in UTC, asked for with Prefer: outlook.timezone="UTC".
    assert appointment.starts_at == soon(days=2)


def test_occurrences_moved_cancelled_and_the_series_deleted(ms, outlook_calendar, sync):
    first = soon(days=1, hour=9)
    series = marked(
        ms, "Weekly review", start=first, recurrence={"type": "weekly", "interval": 1, "count": 4}
    )
    sync(outlook_calendar)
    occurrences = list(Appointment.objects.order_by("starts_at"))
    assert len(occurrences) == 4 and occurrences[0].series.rule.startswith("RRULE:FREQ=WEEKLY")
    moved_to = occurrences[1].starts_at + timedelta(hours=2)
    ms.move_occurrence(series.id, occurrences[1].starts_at, moved_to)
    ms.cancel_occurrence(series.id, occurrences[2].starts_at)
    sync(outlook_calendar)
    states = {a.instance_key: (a.starts_at, a.status) for a in Appointment.objects.all()}
    assert states[occurrences[1].instance_key] == (moved_to, "active")
    assert states[occurrences[2].instance_key][1] == "cancelled"
    ms.delete_event(series.id)
    sync(outlook_calendar)
    assert not Appointment.objects.filter(status="active").exists()


@pytest.mark.parametrize("code", ["410", "syncStateNotFound", "resyncRequired"])
def test_an_invalidated_delta_token_means_a_full_resync(ms, outlook_calendar, sync, code):
    gone = marked(ms, "Deleted in the gap")
    sync(outlook_calendar)
    ms.delete_event(gone.id)
    marked(ms, "Added in the gap", start=soon(days=4))
    ms.invalidate_delta_tokens(code=code)
    result = sync(outlook_calendar)
    assert result.restarts == 1 and result.full
    states = dict(Appointment.objects.values_list("title", "status"))
    assert states == {"Deleted in the gap": "cancelled", "Added in the gap": "active"}


def test_an_event_that_leaves_the_window_is_not_a_deletion(ms, outlook_calendar, sync, settings):
    event = marked(ms)
    sync(outlook_calendar)
    far = datetime.now(UTC).replace(microsecond=0) + timedelta(days=400)  # past the window
    ms.update_event(event.id, start=far, end=far + timedelta(hours=1))
    sync(outlook_calendar)
    appointment = Appointment.objects.get()
    assert appointment.status == "active" and appointment.starts_at == far


@pytest.mark.parametrize("status", [429, 503])
def test_throttling_waits_as_long_as_retry_after_says(ms, outlook_calendar, sync, status):
    marked(ms)
    ms.fail_next(1, status, retry_after=1)
    began = time.monotonic()
    sync(outlook_calendar)
    assert time.monotonic() - began >= 1.0
    assert Appointment.objects.count() == 1


def test_a_long_retry_after_fails_for_now_and_cancels_nothing(ms, outlook_calendar, sync, settings):
    marked(ms)
    sync(outlook_calendar)
    settings.MICROSOFT_MAX_RETRY_AFTER_SECONDS = 5
    ms.fail_next(1, 429, retry_after=300)
    with pytest.raises(ProviderError) as raised:
        sync(outlook_calendar)
    assert not raised.value.permanent
    assert Appointment.objects.get().status == "active"


def test_refresh_tokens_rotate_and_the_new_one_is_stored(ms, bob_outlook, outlook_calendar, sync):
    old = bob_outlook.refresh_token
    ms.expire_access_tokens(BOB)
    sync(outlook_calendar)
    stored = Connection.objects.get().refresh_token
    assert stored != old and ms.account_of_refresh_token(stored) == BOB
    # A crash after a refresh but before the save: the stored token still works.
    with registry.client("microsoft", services.tokens_of(Connection.objects.get())) as client:
        client._access_token(force=True)
    ms.expire_access_tokens(BOB)
    sync(outlook_calendar)
    assert Connection.objects.get().status == Status.CONNECTED


def test_a_failed_refresh_asks_for_reconnect_and_mails_the_host_once(ms, outlook_calendar, sync):
    ms.revoke(BOB)
    with pytest.raises(ProviderError) as raised:
        sync(outlook_calendar)
    assert raised.value.reauth
    for _ in range(2):  # polled again: the connection waits for its host now
        assert sync(outlook_calendar) is None
    connection = Connection.objects.get()
    assert connection.status == Status.NEEDS_RECONNECT
    assert "invalid_grant" in connection.last_error
    assert [m.to for m in mail.outbox] == [[BOB]]
    assert "Microsoft Outlook no longer accepts" in mail.outbox[0].body


def test_at_most_four_requests_at_once_per_mailbox(ms, bob_outlook):
    # Each answer takes long enough that all twelve threads are waiting before the first four
    # are answered, even on a loaded machine (at 50 ms only three overlapped there once).
    ms.latency = 0.5
    tokens = services.tokens_of(bob_outlook)

    def call():
        with registry.client("microsoft", tokens) as client:
            client.get_json("/me")

    threads = [threading.Thread(target=call) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert ms.max_in_flight == 4


def local_nine(zone: ZoneInfo, start: datetime) -> datetime:
    return start.astimezone(zone).replace(hour=9, minute=0, second=0, microsecond=0)


def next_change(zone: ZoneInfo, after: datetime) -> datetime:
    """The first day after ``after`` (and a week on) whose UTC offset differs from the day's
    before: a DST change."""
    day = after + timedelta(days=8)
    while (
        day.astimezone(zone).utcoffset() == (day - timedelta(days=1)).astimezone(zone).utcoffset()
    ):
        day += timedelta(days=1)
    return day


@pytest.mark.parametrize(
    ("windows", "iana"),
    [
        ("W. Europe Standard Time", "Europe/Berlin"),
        ("Pacific Standard Time", "America/Los_Angeles"),
    ],
)
def test_a_weekly_series_keeps_its_wall_time_across_the_dst_change(
    ms, outlook_calendar, sync, settings, windows, iana
):
    zone = ZoneInfo(iana)
    change = next_change(zone, datetime.now(UTC))
    first = local_nine(zone, change - timedelta(days=7))
    settings.PORTIER_SYNC_HORIZON_DAYS = (change - datetime.now(UTC)).days + 30
    marked(
        ms,
        "Weekly",
        start=first,
        zone=windows,
        recurrence={"type": "weekly", "interval": 1, "count": 3},
    )
    sync(outlook_calendar)
    starts = [a.starts_at for a in Appointment.objects.order_by("starts_at")]
    assert [s.astimezone(zone).hour for s in starts] == [9, 9, 9]
    assert len({s.astimezone(UTC).hour for s in starts}) == 2  # the UTC hour moved
    assert starts[0] == first.astimezone(UTC)


def test_a_week_on_the_window_moves_with_a_full_listing_over_pages(
    ms, outlook_calendar, sync, settings, time_machine
):
    settings.MICROSOFT_PAGE_SIZE = 2
    events = [marked(ms, f"Visit {n}", start=soon(days=20 + n)) for n in range(4)]
    first = sync(outlook_calendar)
    assert first.full and first.pages == 2
    assert sync(outlook_calendar).full is False  # the delta link, within the week
    time_machine.move_to(datetime.now(UTC) + timedelta(days=8))
    ms.delete_event(events[0].id)
    moved = sync(outlook_calendar)
    assert moved.full and moved.pages == 2  # three events left: two pages of a new window
    states = dict(Appointment.objects.values_list("title", "status"))
    assert states == {
        "Visit 0": "cancelled",
        "Visit 1": "active",
        "Visit 2": "active",
        "Visit 3": "active",
    }
    cursor = Calendar.objects.get(pk=outlook_calendar.pk).sync_cursor
    assert cursor.startswith((datetime.now(UTC) - timedelta(days=1)).strftime("%Y-%m-%d"))


def test_an_event_in_an_unknown_zone_is_skipped_with_a_reason_and_no_mail(
    ms, outlook_calendar, sync
):
    marked(ms, "From Atlantis", zone="Atlantis Standard Time")
    marked(ms, "From Berlin", start=soon(days=3))
    sync(outlook_calendar)
    assert list(Appointment.objects.values_list("title", flat=True)) == ["From Berlin"]
    entry = SyncLogEntry.objects.get(title="From Atlantis")
    assert entry.action == "error" and "Atlantis Standard Time" in str(entry.params)
    assert len(mail.outbox) == 1 and "From Berlin" in mail.outbox[0].subject
