"""One format per kind (date, time, date and time, range) and per language, everywhere."""

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from portier.integrations.models import Calendar
from portier.lib import dates
from portier.sync.models import SyncLogEntry
from portier.visits.tests.helpers import appointment, at, synced

BERLIN = ZoneInfo("Europe/Berlin")
ON_THE_HOUR = datetime(2026, 11, 29, 22, 0, tzinfo=BERLIN)  # a Sunday, 10 p.m.
# The formats the issue found mixed on one screen: none may appear any more.
OTHER_WAYS = re.compile(r"\d/\d{1,2}/\d{4}|\b[ap]\.m\.|Nov\. \d|\b\d{1,2} [ap]\.m\.")


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            {
                "date": "Sun, 29 Nov 2026",
                "time": "22:00",
                "date_time": "Sun, 29 Nov 2026, 22:00",
                "range": "Sun, 29 Nov 2026, 22:00–23:30",
                "overnight": "Sun, 29 Nov 2026, 22:00 – Mon, 30 Nov 2026, 01:00",
                "template": "Sun, 29 Nov 2026, 22:00 | Sun, 29 Nov 2026, 22:00 | 22:00",
            },
        ),
        (
            "de",
            {
                "date": "So, 29. Nov 2026",
                "time": "22:00",
                "date_time": "So, 29. Nov 2026, 22:00",
                "range": "So, 29. Nov 2026, 22:00–23:30",
                "overnight": "So, 29. Nov 2026, 22:00 – Mo, 30. Nov 2026, 01:00",
                "template": "So, 29. Nov 2026, 22:00 | So, 29. Nov 2026, 22:00 | 22:00",
            },
        ),
    ],
)
def test_each_kind_has_one_format_per_language_and_keeps_the_minutes(language, expected):
    template = Template(
        '{{ v|date:"SHORT_DATETIME_FORMAT" }} | {{ v|date:"DATETIME_FORMAT" }} | {{ v|time }}'
    )
    with translation.override(language):
        assert dates.date(ON_THE_HOUR.date()) == expected["date"]
        assert dates.time(ON_THE_HOUR) == expected["time"]
        assert dates.date_time(ON_THE_HOUR) == expected["date_time"]
        assert (
            dates.time_range(ON_THE_HOUR, ON_THE_HOUR + timedelta(minutes=90))
            == (expected["range"])
        )
        assert (
            dates.time_range(ON_THE_HOUR, ON_THE_HOUR + timedelta(hours=3))
            == (expected["overnight"])
        )
        with translation.override(language), time_machine.travel(ON_THE_HOUR):
            rendered = template.render(Context({"v": ON_THE_HOUR.astimezone(UTC)}))
        assert rendered.replace("21:00", "22:00") == expected["template"]  # UTC vs Berlin


def test_a_minute_ago_is_just_now():
    now = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
    with translation.override("en"):
        assert dates.ago(now - timedelta(seconds=20), now) == "just now"
        assert dates.ago(now - timedelta(minutes=5), now) == "5\xa0minutes ago"
    with translation.override("de"):
        assert dates.ago(now - timedelta(seconds=20), now) == "gerade eben"
        assert dates.ago(now - timedelta(minutes=5), now) == "vor 5\xa0Minuten"
    assert dates.date_range(date(2026, 11, 30), date(2026, 11, 30)) == dates.date(
        date(2026, 11, 30)
    )


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_appointment_page_and_its_sync_log_write_dates_one_way(
    bob_client, bob, acme_hq, language
):
    bob.language = language
    bob.save()
    made = synced(bob, acme_hq, title="Review", start=at(days=2, hour=22))
    SyncLogEntry.objects.create(
        company=bob.company, calendar=made.calendar, appointment=made, action="picked_up"
    )
    with translation.override(language):
        start = made.starts_at.astimezone(acme_hq.zone)
        expected_when = dates.time_range(start, made.ends_at.astimezone(acme_hq.zone))
    body = bob_client.get(reverse("visits:detail", args=[made.pk])).content.decode()
    assert expected_when in body and ", 22:00–23:00" in body
    assert not OTHER_WAYS.search(body)
    listing = bob_client.get(reverse("visits:list")).content.decode()
    assert expected_when in listing and not OTHER_WAYS.search(listing)


def test_the_integrations_page_says_just_now_after_a_sync(bob_client, bob_calendar):
    Calendar.objects.filter(pk=bob_calendar.pk).update(synced_at=datetime.now(UTC), selected=True)
    body = bob_client.get(reverse("integrations:list")).content.decode()
    assert "last synced just now" in body and "0 minutes" not in body


def test_a_manual_appointment_on_the_hour_keeps_its_minutes(bob_client, bob, acme_hq):
    appointment(bob, acme_hq, title="On the hour", start=at(days=1, hour=9))
    body = bob_client.get(reverse("visits:list")).content.decode()
    assert "09:00–10:00" in body
