"""The sandbox calendar's guests field takes what people paste from a mail client; deleting
asks first; the number of dates belongs to a repeating event."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from portier.sandbox.forms import AttendeesField
from portier.sandbox.services import show_address
from portier.sandbox.tests.test_sandbox_calendar import MARKER, event_form, only_event


def clean(text):
    return AttendeesField(required=False).clean(text)


@pytest.mark.parametrize(
    ("pasted", "guests"),
    [
        ("Peter Gibbons <peter@initech.example>", [("Peter Gibbons", "peter@initech.example")]),
        # Outlook: semicolons; Gmail and Apple Mail: commas; a name with a comma is quoted.
        (
            'Peter Gibbons <Peter@Initech.example>; "Waddams, Milton" <milton@initech.example>',
            [("Peter Gibbons", "peter@initech.example"),
             ("Waddams, Milton", "milton@initech.example")],
        ),
        (
            "'Bob Slydell' <bob@initech.example>,\nsamir@initech.example\n\n",
            [("Bob Slydell", "bob@initech.example"), ("", "samir@initech.example")],
        ),
        # Bare addresses, one per line or side by side; each address once.
        (
            "a@initech.example b@initech.example\nA@initech.example",
            [("", "a@initech.example"), ("", "b@initech.example")],
        ),
        ("invite@localhost", [("", "invite@localhost")]),
        ("", []),
    ],
)  # fmt: skip
def test_the_guests_field_reads_lists_from_mail_clients(pasted, guests):
    assert clean(pasted) == guests


@pytest.mark.parametrize("pasted", ["no-at-sign", "Peter Gibbons peter@initech.example"])
def test_what_is_no_address_is_refused(pasted):
    with translation.override("en"):
        with pytest.raises(ValidationError) as refused:
            clean(pasted)
        assert refused.value.messages == [f"{pasted.lower()} is not an e-mail address."]


@pytest.mark.parametrize("name", ["Peter Gibbons", "Waddams, Milton", 'Tom "The Man" Smykowski'])
def test_an_event_s_guests_read_back_as_they_were_written(name):
    shown = show_address(name, "guest@initech.example")
    assert clean(shown) == [(name, "guest@initech.example")]


def test_names_go_to_the_sandbox_google_and_come_back_into_the_form(
    alice_client, alice, sandbox_google, settings
):
    settings.PORTIER_INVITE_ADDRESS = MARKER
    attendees = f"{MARKER}; Peter Gibbons <peter@initech.example>, samir@initech.example"
    response = alice_client.post(reverse("sandbox:calendar"), event_form(attendees=attendees))
    assert response.status_code == 302
    event = only_event(sandbox_google, alice.email)
    assert event["attendees"][:3] == [
        {"email": MARKER, "responseStatus": "needsAction"},
        {"email": "peter@initech.example", "displayName": "Peter Gibbons",
         "responseStatus": "needsAction"},
        {"email": "samir@initech.example", "responseStatus": "needsAction"},
    ]  # fmt: skip
    form = alice_client.get(reverse("sandbox:event_edit", args=[event["id"]]))
    assert "Peter Gibbons <peter@initech.example>" in form.context["form"]["attendees"].value()


def test_deleting_an_event_asks_first(alice_client, alice, sandbox_google):
    alice_client.post(reverse("sandbox:calendar"), event_form())
    event = only_event(sandbox_google, alice.email)
    page = alice_client.get(reverse("sandbox:calendar")).content.decode()
    action = reverse("sandbox:event_delete", args=[event["id"]])
    assert f'action="{action}" class="inline" data-confirm="Delete this event?' in page
    assert f'id="event-{event["id"]}"' in page  # what the appointment page links to


def test_the_number_of_dates_goes_with_repeat_weekly(alice_client, sandbox_google):
    page = alice_client.get(reverse("sandbox:calendar")).content.decode()
    assert 'data-field="weeks"' in page and 'id="id_weekly"' in page
    assert "sandbox/event-fields.js" in page  # shows it only while "Repeat weekly" is ticked


def test_the_guests_help_speaks_german(alice_client, alice, sandbox_google):
    alice.language = "de"
    alice.save()
    alice_client.post(reverse("sandbox:calendar"), event_form())
    page = alice_client.get(reverse("sandbox:calendar")).content.decode()
    assert "wie ein Mailprogramm sie kopiert" in page
    assert 'data-confirm="Diesen Termin löschen?' in page
