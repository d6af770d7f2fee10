"""The sync log speaks sentences in the reader's language, and says what happened to each event:
held, released, invited, updated, cancelled. Google fake -> sync -> outbox -> SMTP sink."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import translation

from portier.sync import reasons
from portier.sync.models import SyncLogEntry
from portier.testing.factories import LocationFactory
from portier.testing.sync_fixtures import BOB, attendees, soon
from portier.visits.models import Appointment

GUESTS = ("ann@ext.example", "ben@ext.example")
# What must never reach a reader: fingerprint keys and the old English fragments.
RAW = re.compile(r"starts_at|ends_at|location_text|location_id|event deleted|unknown location code")


@pytest.fixture
def munich(acme):
    return LocationFactory(company=acme, name="Munich office", code="MUC")


def create(fake, location="", title="Visit"):
    start = soon(days=5)
    return fake.create_event(
        BOB,
        summary=title,
        start=start,
        end=start + timedelta(hours=1),
        time_zone="Europe/Berlin",
        location=location,
        attendees=attendees(*GUESTS),
    )


def lines(appointment):
    return [(e.action, e.details) for e in reversed(appointment.sync_log.all())]


def test_a_corrected_code_leaves_the_ignored_page_and_the_log_says_released_and_invited(
    google_fake, bob_calendar, sync, smtp_sink, munich, bob_client
):
    event = create(google_fake, location="#MUX")
    with translation.override("de"):  # the worker's language must not matter
        sync(bob_calendar)
    ignored = bob_client.get(reverse("visits:ignored")).content.decode()
    assert "The location code MUX matches none of your locations" in ignored

    google_fake.update_event(BOB, event["id"], location="#MUC")
    sync(bob_calendar)
    sync(bob_calendar)

    appointment = Appointment.objects.get()
    assert all(len(smtp_sink.messages_to(g)) == 1 for g in GUESTS)
    ignored = bob_client.get(reverse("visits:ignored")).content.decode()
    assert "Visit" not in ignored and "MUX" not in ignored
    assert [action for action, _ in lines(appointment)] == [
        "picked_up",
        "held",
        "released",
        "emailed",
    ]
    assert lines(appointment)[2][1] == (
        "The location code was corrected; the visit is at Munich office."
    )
    assert lines(appointment)[3][1] == "Invitations go out to 2 guests."
    page = bob_client.get(reverse("visits:detail", args=[appointment.pk])).content.decode()
    assert "Invitations go out to 2 guests." in page and not RAW.search(page)


def test_changes_and_cancellations_are_sentences_in_the_readers_language(
    google_fake, bob_calendar, bob, sync, smtp_sink, bob_client
):
    event = create(google_fake, location="Raum 4.12")
    sync(bob_calendar)
    google_fake.update_event(
        BOB,
        event["id"],
        start=soon(days=6),
        end=soon(days=6) + timedelta(hours=1),
        location="Raum 5.01",
    )
    sync(bob_calendar)
    google_fake.delete_event(BOB, event["id"])
    sync(bob_calendar)

    appointment = Appointment.objects.get()
    assert [action for action, _ in lines(appointment)] == [
        "picked_up",
        "emailed",
        "updated",
        "emailed",
        "cancelled",
        "emailed",
    ]
    details = [text for _, text in lines(appointment)]
    assert details[2] == "Changed: time, room or details of the place."
    assert details[4] == "The event was deleted from the calendar."
    assert details[5] == "Cancellations go out to 2 guests."

    bob.language = "de"
    bob.save()
    page = bob_client.get(reverse("visits:detail", args=[appointment.pk])).content.decode()
    assert "Geändert: Zeit, Raum oder Angaben zum Ort." in page
    assert "Der Termin wurde aus dem Kalender gelöscht." in page
    assert "Absagen gehen an 2 Gäste." in page
    assert not RAW.search(page)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("event deleted", (reasons.EVENT_DELETED, {})),
        ("Termin gelöscht", (reasons.EVENT_DELETED, {})),
        ("unknown location code XXXX", (reasons.UNKNOWN_CODE, {"code": "XXXX"})),
        (
            "starts_at, ends_at, guests added",
            (reasons.CHANGED, {"fields": ["starts_at", "ends_at"], "added": 1}),
        ),
        ("location_text", (reasons.CHANGED, {"fields": ["location_text"]})),
        ("something a provider said", None),
    ],
)
def test_reasons_stored_as_text_by_older_versions_get_their_code(text, found):
    assert reasons.from_legacy(text) == found


def test_an_old_row_with_field_names_reads_as_a_sentence(bob, bob_calendar):
    code, params = reasons.from_legacy("starts_at, ends_at, location_text")
    entry = SyncLogEntry.objects.create(
        company=bob.company, calendar=bob_calendar, action="updated", code=code, params=params
    )
    with translation.override("en"):
        assert entry.details == "Changed: time, room or details of the place."
    with translation.override("de"):
        assert entry.details == "Geändert: Zeit, Raum oder Angaben zum Ort."
