"""Inviting guests by hand: the form, edits and cancellation send exactly the right e-mails."""

import uuid
from datetime import timedelta
from email.utils import parseaddr

import pytest
from django.urls import reverse

from portier.invitations.kinds import Kind
from portier.outbox.models import Notification
from portier.visits.models import Appointment, GuestKind, Source
from portier.visits.tests.helpers import BERLIN, at

pytestmark = pytest.mark.django_db
NEW = reverse("visits:create")


def local(value) -> str:
    return value.astimezone(BERLIN).strftime("%Y-%m-%dT%H:%M")


def form_data(location, *, start=None, minutes=60, guests=None, **extra):
    start = start or at(days=5, hour=14)
    guests = guests or [("Ann", "Arbor", "ann@example.org"), ("Ben", "Bauer", "ben@example.net")]
    data = {
        "title": "Contract signing",
        "location": location.pk,
        "starts_at": local(start),
        "ends_at": local(start + timedelta(minutes=minutes)),
        "description": "Please bring your ID.",
        "token": str(uuid.uuid4()),
        "guests-TOTAL_FORMS": str(max(3, len(guests))),
        "guests-INITIAL_FORMS": "0",
        "guests-MIN_NUM_FORMS": "0",
        "guests-MAX_NUM_FORMS": "100",
    }
    for i, (first, last, email) in enumerate(guests):
        data |= {
            f"guests-{i}-first_name": first,
            f"guests-{i}-last_name": last,
            f"guests-{i}-email": email,
        }
    return data | extra


def outbox(appointment) -> list[tuple[str, str]]:
    rows = Notification.objects.filter(appointment=appointment).order_by("pk")
    return [(r.kind, r.recipient) for r in rows]


def recipients(mailoutbox) -> list[str]:
    return sorted(parseaddr(address)[1] for m in mailoutbox for address in m.to)


def test_form_preselects_the_primary_location_and_offers_a_fresh_token(alice_client, acme_hq):
    form = alice_client.get(NEW).context["form"]
    assert form["location"].value() == acme_hq.pk
    assert uuid.UUID(str(form["token"].value()))
    assert "host" in form.fields  # admins may invite on a colleague's behalf


def test_hosts_cannot_pick_another_host(bob_client):
    assert "host" not in bob_client.get(NEW).context["form"].fields


def test_create_invites_each_guest_once(
    bob_client, bob, acme_hq, mailoutbox, django_capture_on_commit_callbacks
):
    start = at(days=5, hour=14)
    data = form_data(
        acme_hq, start=start, guests=[*form_guests(), ("Dora", "Doe", "dora@acme.example")]
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = bob_client.post(NEW, data)
    made = Appointment.objects.get()
    assert response.status_code == 302 and response.url == reverse("visits:detail", args=[made.pk])
    assert made.source == Source.MANUAL and made.host == bob and made.location == acme_hq
    assert made.starts_at == start and made.time_zone == "Europe/Berlin"
    assert made.description == "Please bring your ID."
    assert outbox(made) == [
        (Kind.INVITATION, "ann@example.org"),
        (Kind.INVITATION, "ben@example.net"),
    ]
    assert recipients(mailoutbox) == ["ann@example.org", "ben@example.net"]
    assert all(m.subject.startswith("Invitation: Contract signing") for m in mailoutbox)
    assert "Please bring your ID." in mailoutbox[0].body
    dora = made.guests.get(email="dora@acme.example")
    assert dora.kind == GuestKind.COLLEAGUE and dora.name == "Dora Doe"
    assert made.guests.get(email="ann@example.org").name == "Ann Arbor"


def form_guests():
    return [("Ann", "Arbor", "ann@example.org"), ("Ben", "Bauer", "ben@example.net")]


def test_times_are_local_to_the_chosen_location(alice_client, acme):
    from portier.testing.factories import LocationFactory

    new_york = LocationFactory(company=acme, name="NYC", time_zone="America/New_York")
    data = form_data(new_york)
    data["starts_at"], data["ends_at"] = "2031-03-10T09:00", "2031-03-10T10:30"
    alice_client.post(NEW, data)
    made = Appointment.objects.get()
    assert made.starts_at.isoformat() == "2031-03-10T13:00:00+00:00"  # 09:00 EDT
    assert made.time_zone == "America/New_York"


def test_double_submission_creates_one_appointment(
    bob_client, acme_hq, mailoutbox, django_capture_on_commit_callbacks
):
    data = form_data(acme_hq)
    with django_capture_on_commit_callbacks(execute=True):
        first = bob_client.post(NEW, data)
        second = bob_client.post(NEW, data)
    assert Appointment.objects.count() == 1
    assert first.url == second.url
    assert len(mailoutbox) == 2


def test_admin_invites_on_behalf_of_a_colleague(alice_client, bob, acme_hq):
    response = alice_client.post(NEW, form_data(acme_hq, host=bob.pk))
    made = Appointment.objects.get()
    assert made.host == bob
    assert response.url == reverse("visits:detail", args=[made.pk])


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"ends_at_minutes": -30}, "ends_at", "The end must be after the start."),
        ({"days": -1}, "starts_at", "The start is in the past."),
        ({"no_guests": True}, None, "Add at least one guest."),
        ({"guest_without_last_name": True}, None, "This field is required."),
        ({"title": "  "}, "title", "This field is required."),
    ],
)
def test_invalid_forms_say_what_is_wrong(bob_client, acme_hq, change, field, message):
    start = at(days=change.get("days", 5), hour=14)
    data = form_data(acme_hq, start=start, minutes=change.get("ends_at_minutes", 60))
    if change.get("no_guests"):
        for key in [k for k in data if k.startswith("guests-0") or k.startswith("guests-1")]:
            data[key] = ""
    if change.get("guest_without_last_name"):
        data["guests-1-last_name"] = ""
    if "title" in change:
        data["title"] = change["title"]
    response = bob_client.post(NEW, data)
    assert response.status_code == 200
    assert message in response.content.decode()
    if field:
        assert message in response.context["form"].errors[field]
    assert not Appointment.objects.exists()


def _create(client, location, capture, **kwargs):
    with capture(execute=True):
        client.post(NEW, form_data(location, **kwargs))
    return Appointment.objects.get()


def edit_data(appointment, **changes):
    """The edit form as the page fills it, then `changes`."""
    guests = list(appointment.guests.filter(removed_at__isnull=True).order_by("pk"))
    data = {
        "title": appointment.title,
        "location": appointment.location_id,
        "starts_at": local(appointment.starts_at),
        "ends_at": local(appointment.ends_at),
        "description": appointment.description,
        "guests-TOTAL_FORMS": str(len(guests) + 2),
        "guests-INITIAL_FORMS": str(len(guests)),
        "guests-MIN_NUM_FORMS": "0",
        "guests-MAX_NUM_FORMS": "100",
    }
    for i, guest in enumerate(guests):
        first, _sep, last = guest.name.partition(" ")
        data |= {
            f"guests-{i}-first_name": first,
            f"guests-{i}-last_name": last,
            f"guests-{i}-email": guest.email,
        }
    return data | changes


def test_edit_time_sends_one_update_per_guest(
    bob_client, acme_hq, mailoutbox, django_capture_on_commit_callbacks
):
    made = _create(bob_client, acme_hq, django_capture_on_commit_callbacks)
    mailoutbox.clear()
    later = at(days=5, hour=16)
    data = edit_data(made, starts_at=local(later), ends_at=local(later + timedelta(hours=1)))
    with django_capture_on_commit_callbacks(execute=True):
        response = bob_client.post(reverse("visits:edit", args=[made.pk]), data)
    assert response.status_code == 302
    assert recipients(mailoutbox) == ["ann@example.org", "ben@example.net"]
    assert all(m.subject.startswith("Changed: Contract signing") for m in mailoutbox)
    assert "16:00" in mailoutbox[0].body and "14:00" in mailoutbox[0].body
    assert outbox(made)[2:] == [(Kind.UPDATE, "ann@example.org"), (Kind.UPDATE, "ben@example.net")]


def test_edit_guests_invites_the_new_cancels_the_removed_and_spares_the_rest(
    bob_client, acme_hq, mailoutbox, django_capture_on_commit_callbacks
):
    made = _create(bob_client, acme_hq, django_capture_on_commit_callbacks)
    mailoutbox.clear()
    data = edit_data(made)
    data["guests-1-DELETE"] = "on"  # Ben
    data |= {"guests-2-first_name": "Cem", "guests-2-last_name": "Çelik"}
    data["guests-2-email"] = "cem@example.com"
    with django_capture_on_commit_callbacks(execute=True):
        bob_client.post(reverse("visits:edit", args=[made.pk]), data)
    sent = sorted((parseaddr(m.to[0])[1], m.subject.split(":")[0]) for m in mailoutbox)
    assert sent == [("ben@example.net", "Cancelled"), ("cem@example.com", "Invitation")]


def test_edit_without_changes_sends_nothing(
    bob_client, acme_hq, mailoutbox, django_capture_on_commit_callbacks
):
    made = _create(bob_client, acme_hq, django_capture_on_commit_callbacks)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        bob_client.post(reverse("visits:edit", args=[made.pk]), edit_data(made))
    assert mailoutbox == []


def test_edit_form_shows_local_times_and_the_guests(
    bob_client, acme_hq, django_capture_on_commit_callbacks
):
    made = _create(bob_client, acme_hq, django_capture_on_commit_callbacks)
    body = bob_client.get(reverse("visits:edit", args=[made.pk])).content.decode()
    assert f'value="{local(made.starts_at)}"' in body
    assert 'value="ann@example.org"' in body and 'value="Arbor"' in body


def test_cancel_sends_one_cancellation_per_guest(
    bob_client, acme_hq, mailoutbox, django_capture_on_commit_callbacks
):
    made = _create(bob_client, acme_hq, django_capture_on_commit_callbacks)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        bob_client.post(reverse("visits:cancel", args=[made.pk]))
        bob_client.post(reverse("visits:cancel", args=[made.pk]))  # a second click
    made.refresh_from_db()
    assert made.is_cancelled
    assert recipients(mailoutbox) == ["ann@example.org", "ben@example.net"]
    assert all(m.subject.startswith("Cancelled: Contract signing") for m in mailoutbox)
    body = bob_client.get(reverse("visits:detail", args=[made.pk])).content.decode()
    assert reverse("visits:edit", args=[made.pk]) not in body and "cancelled" in body


def test_cancel_needs_post(bob_client, acme_hq, django_capture_on_commit_callbacks):
    made = _create(bob_client, acme_hq, django_capture_on_commit_callbacks)
    assert bob_client.get(reverse("visits:cancel", args=[made.pk])).status_code == 405


def test_untouched_times_keep_their_seconds(
    bob_client, bob, acme_hq, mailoutbox, django_capture_on_commit_callbacks
):
    from portier.visits.manual import NewGuest, invite

    start = at(days=5, hour=14).replace(second=30)
    with django_capture_on_commit_callbacks(execute=True):
        made, _created = invite(
            company=bob.company,
            host=bob,
            location=acme_hq,
            title="Exact",
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            guests=[NewGuest("ann@example.org", "Ann", "Arbor")],
        )
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        bob_client.post(reverse("visits:edit", args=[made.pk]), edit_data(made))
    made.refresh_from_db()
    assert made.starts_at == start and mailoutbox == []
