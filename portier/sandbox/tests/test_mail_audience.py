"""Who may read a caught e-mail: anything addressed to one person (set-password and reset
links, host notices) only that person; a guest e-mail whoever may see its appointment."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse

from portier.companies.models import Role
from portier.companies.services import invite_colleague
from portier.sandbox.models import CaughtMail
from portier.sync import notices
from portier.testing.factories import make_member
from portier.visits.models import Series
from portier.visits.services import GuestInfo
from portier.visits.tests.helpers import appointment, at

BACKEND = "portier.sandbox.mail.CatchingBackend"


@pytest.fixture(autouse=True)
def _catching(settings):
    settings.PORTIER_SANDBOX = True
    settings.EMAIL_BACKEND = BACKEND


@pytest.fixture
def erin_client(acme):
    """Another host at Acme: sees her own appointments only."""
    erin = make_member(acme, email="erin@acme.example", name="Erin", role=Role.HOST)
    client = Client()
    client.force_login(erin)
    return client


def shows(client, mail) -> bool:
    detail = client.get(reverse("sandbox:mail_detail", args=[mail.pk])).status_code
    raw = client.get(reverse("sandbox:mail_raw", args=[mail.pk])).status_code
    listed = f'data-mail="{mail.pk}"' in client.get(reverse("sandbox:mail")).content.decode()
    assert (detail, raw) in ((200, 200), (404, 404)) and listed is (detail == 200)
    return detail == 200


def test_a_colleagues_set_password_link_is_for_the_colleague_only(
    acme, alice, alice_client, bob_client, carol_client, django_capture_on_commit_callbacks
):
    """A host opened the new admin's invitation, chose the password and logged in as them."""
    with django_capture_on_commit_callbacks(execute=True):
        invite_colleague(company=acme, invited_by=alice, email="dan@acme.example", role=Role.ADMIN)
    invitation = CaughtMail.objects.get(recipients=["dan@acme.example"])
    assert "/accounts/reset/" in invitation.text
    for client in (bob_client, alice_client, carol_client):
        assert not shows(client, invitation)
    assert "/accounts/reset/" not in bob_client.get(reverse("sandbox:mail")).content.decode()


def test_a_guest_email_is_for_those_who_may_see_its_appointment(
    bob, acme_hq, alice_client, bob_client, erin_client, carol_client,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        appointment(bob, acme_hq)
    invitations = [m for m in CaughtMail.objects.all() if "Visit" in m.subject]
    assert sorted(m.recipients[0] for m in invitations) == ["ann@example.org", "ben@example.net"]
    for mail in invitations:
        assert shows(bob_client, mail)  # the host
        assert shows(alice_client, mail)  # an admin of the company
        assert not shows(erin_client, mail)  # another host
        assert not shows(carol_client, mail)  # an outsider


def test_a_host_notice_is_for_its_host_only(
    bob, acme_hq, alice_client, bob_client, django_capture_on_commit_callbacks
):
    visit = appointment(bob, acme_hq, guests=[], held_code="NOPE")
    with django_capture_on_commit_callbacks(execute=True):
        notices.invalid_code(calendar=None, appointment=visit, event=None)
    notice = CaughtMail.objects.get(recipients=[bob.email])
    assert notice.company == bob.company
    assert shows(bob_client, notice)
    assert not shows(alice_client, notice)  # not even an admin: it is addressed to Bob


def test_a_series_invitation_is_for_those_who_may_see_the_series(
    bob, acme_hq, alice_client, bob_client, erin_client, django_capture_on_commit_callbacks
):
    series = Series.objects.create(
        company=bob.company, host=bob, ical_uid="weekly@google.com", title="Weekly sync"
    )
    start = at(days=3)
    with django_capture_on_commit_callbacks(execute=True):
        for week in range(3):
            appointment(
                bob,
                acme_hq,
                title="Weekly sync",
                start=start + timedelta(weeks=week),
                guests=[GuestInfo("ann@example.org", "Ann")],
                source="google",
                ical_uid=series.ical_uid,
                instance_key=f"week{week}",
                series=series,
            )
    [invitation] = CaughtMail.objects.filter(subject__contains="series")
    assert invitation.series == series
    assert shows(bob_client, invitation) and shows(alice_client, invitation)
    assert not shows(erin_client, invitation)
