"""The push intake's short way: the channel token's digest (kept on save, filled by the
migration), a constant few queries per push, and the answers of everything it passes on.
What every source's pushes do is proven in portier/sources/tests/test_contract_push_intake.py."""

import importlib
from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portier.integrations.models import Calendar, channel_token_digest
from portier.integrations.push import accept
from portier.sources.base import PushNotice
from portier.sync import channels

pytestmark = pytest.mark.django_db
URL = "/integrations/google/notifications/"
SHORT_WAY = "portier.integrations.push.PushMiddleware"


def headers(calendar, **extra):
    return {
        "HTTP_X_GOOG_CHANNEL_ID": calendar.channel_id,
        "HTTP_X_GOOG_CHANNEL_TOKEN": calendar.channel_token,
        "HTTP_X_GOOG_RESOURCE_ID": calendar.channel_resource_id,
        "HTTP_X_GOOG_RESOURCE_STATE": "exists",
        **extra,
    }


def test_a_new_channel_gets_the_digest_of_its_token(bob_calendar):
    assert bob_calendar.channel_token_hmac == ""
    calendar = channels.open_channel(bob_calendar)
    assert calendar.channel_token
    assert calendar.channel_token_hmac == channel_token_digest(calendar.channel_token)
    assert Calendar.objects.get(pk=calendar.pk).channel_token_hmac == calendar.channel_token_hmac


def test_the_digest_is_keyed_with_secret_key(settings):
    before = channel_token_digest("a-channel-token")
    settings.SECRET_KEY = "another-secret-key-entirely-" * 2
    assert channel_token_digest("a-channel-token") != before
    assert channel_token_digest("") == ""


def test_the_migration_fills_the_digest_of_existing_channels(bob_calendar):
    migration = importlib.import_module("portier.integrations.migrations.0006_channel_token_hmac")
    calendar = channels.open_channel(bob_calendar)
    other = Calendar.objects.create(connection=calendar.connection, remote_id="team", name="Team")
    # As they were before the migration: tokens, no digests; one token no key decrypts.
    Calendar.objects.update(channel_token_hmac="")
    broken = Calendar.objects.create(
        connection=calendar.connection, remote_id="broken", name="Broken"
    )
    with connection.cursor() as cursor:
        table, pk = Calendar._meta.db_table, broken.pk
        cursor.execute(f"UPDATE {table} SET channel_token = %s WHERE id = %s", ["gAAAA-x", pk])
    migration.fill_digests(apps, None)
    digests = dict(Calendar.objects.values_list("pk", "channel_token_hmac"))
    assert digests == {
        calendar.pk: channel_token_digest(calendar.channel_token),
        other.pk: "",
        broken.pk: "",
    }


def test_one_push_costs_the_same_few_queries_every_time(bob_calendar, client):
    calendar = channels.open_channel(bob_calendar)
    counts = []
    for _ in range(4):  # the first enqueues a sync; the others ride along (a burst)
        with CaptureQueriesContext(connection) as queries:
            assert client.post(URL, **headers(calendar)).status_code == 200
        statements = [
            q["sql"] for q in queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))
        ]
        assert all("integrations_calendar" in sql for sql in statements), statements
        assert sum(sql.startswith("SELECT") for sql in statements) == 1  # no decryption
        counts.append(len(statements))
    assert counts[0] <= 2 and counts[1:] == [3, 3, 3]


def test_a_renewal_notice_and_an_unfilled_digest_take_the_long_way_once(bob_calendar, client):
    calendar = channels.open_channel(bob_calendar)
    Calendar.objects.filter(pk=calendar.pk).update(channel_token_hmac="")
    with CaptureQueriesContext(connection) as first:
        client.post(URL, **headers(calendar))
    with CaptureQueriesContext(connection) as second:
        client.post(URL, **headers(calendar))
    assert Calendar.objects.get(pk=calendar.pk).channel_token_hmac == channel_token_digest(
        calendar.channel_token
    )
    selects = [sum(q["sql"].startswith("SELECT") for q in c) for c in (first, second)]
    assert selects == [2, 1]


def test_what_the_short_way_passes_on_is_answered_as_before(bob_calendar, client, settings):
    calendar = channels.open_channel(bob_calendar)
    full_settings = [name for name in settings.MIDDLEWARE if name != SHORT_WAY]
    requests = [
        ("get", URL, {}),  # 405
        ("post", "/integrations/nosuchsource/notifications/", headers(calendar)),  # 404
        ("post", URL, {**headers(calendar), "HTTP_HOST": "evil.example"}),  # 400
        ("post", URL.rstrip("/"), headers(calendar)),  # no slash: not the address
    ]
    short = [getattr(client, method)(url, **h) for method, url, h in requests]
    settings.MIDDLEWARE = full_settings
    full_client = Client()
    full = [getattr(full_client, method)(url, **h) for method, url, h in requests]
    assert [r.status_code for r in short] == [r.status_code for r in full]
    assert [r.status_code for r in short][:3] == [405, 404, 400]
    assert Calendar.objects.get(pk=calendar.pk).sync_requested_at is None


def test_a_channel_the_provider_dropped_is_marked_for_renewal(bob_calendar, client):
    calendar = channels.open_channel(bob_calendar)
    assert not channels.needs_channel(calendar)
    # Google has no such notice; the generic path still handles one when a source sends it.
    notice = PushNotice(
        channel_id=calendar.channel_id,
        token=calendar.channel_token,
        resource_id=calendar.channel_resource_id,
        changed=False,
        renew=True,
    )
    accept("google", notice)
    calendar.refresh_from_db()
    assert channels.needs_channel(calendar, timezone.now())
    assert calendar.sync_requested_at is None


def test_after_rotatekeys_a_push_still_takes_the_short_way(bob_calendar, client, settings):
    calendar = channels.open_channel(bob_calendar)
    settings.PORTIER_ENCRYPTION_KEYS = [
        Fernet.generate_key().decode(),
        *settings.PORTIER_ENCRYPTION_KEYS,
    ]
    call_command("rotatekeys", stdout=StringIO())
    settings.PORTIER_ENCRYPTION_KEYS = settings.PORTIER_ENCRYPTION_KEYS[:1]  # the old key goes
    assert Calendar.objects.get(pk=calendar.pk).channel_token_hmac == channel_token_digest(
        calendar.channel_token
    )
    with CaptureQueriesContext(connection) as queries:
        assert client.post(URL, **headers(calendar)).status_code == 200
    assert sum(q["sql"].startswith("SELECT") for q in queries) == 1  # nothing decrypted
    assert Calendar.objects.get(pk=calendar.pk).sync_requested_at is not None
