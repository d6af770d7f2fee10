"""Address squatting: an invitation must not reveal whether an address is in use elsewhere,
and nobody can claim an address at another company's internal domain."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from portier.accounts.models import User
from portier.companies.models import Company
from portier.companies.services import create_company, invite_colleague
from portier.lib.errors import DomainError
from portier.outbox.models import Notification


def invite(client, email):
    return client.post(reverse("companies:users"), {"email": email, "role": "host"}, follow=True)


def flash(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def test_inviting_an_address_in_use_elsewhere_answers_like_a_new_one(carol_client, bob):
    bob.email = "bob@mail.example"  # a domain no company lists as internal
    bob.save()
    fresh = invite(carol_client, "new.person@mail.example")
    squat = invite(carol_client, "bob@mail.example")
    assert fresh.status_code == squat.status_code == 200
    assert flash(squat) == flash(fresh).replace("new.person@mail.example", "bob@mail.example")
    assert "is on its way to bob@mail.example" in flash(squat)
    assert "already" not in squat.content.decode().split("Invite a colleague")[1]
    bob.refresh_from_db()
    assert bob.membership.company.name == "Acme"  # nothing moved, nothing created
    assert not Notification.objects.filter(recipient="bob@mail.example").exists()
    assert Notification.objects.filter(recipient="new.person@mail.example").exists()


def test_nothing_is_created_and_nobody_told_for_an_address_in_use_elsewhere(alice, carol):
    User.objects.filter(pk=carol.pk).update(email="carol@mail.example")
    made = invite_colleague(
        company=alice.company, invited_by=alice, email="Carol@mail.example", role="host"
    )
    assert made is None
    assert User.objects.filter(email__iexact="carol@mail.example").count() == 1
    assert not Notification.objects.exists()


def test_inviting_a_colleague_who_is_already_a_member_says_so(alice_client, bob):
    response = invite(alice_client, bob.email)
    assert "bob@acme.example is already a member." in response.content.decode()


def test_an_address_at_another_companys_internal_domain_cannot_be_invited(carol_client, acme):
    response = invite(carol_client, "dan@ACME.example")
    body = response.content.decode()
    assert "Addresses at acme.example belong to another company in Portier" in body
    assert not User.objects.filter(email="dan@acme.example").exists()


def test_createcompany_refuses_an_admin_at_another_companys_domain(acme):
    with pytest.raises(DomainError, match="acme.example belong to another company"):
        create_company(name="Squat", admin_email="eve@acme.example", password="x-long-pass-1")
    with pytest.raises(CommandError, match="acme.example belong to another company"):
        call_command(
            "createcompany",
            name="Squat",
            admin_email="eve@acme.example",
            password="x-long-pass-1",
        )
    assert not Company.objects.filter(name="Squat").exists()


def test_a_company_cannot_list_another_companys_domain_as_internal(carol_client, globex, acme):
    response = carol_client.post(
        reverse("companies:settings"),
        {"name": "Globex", "language": "en", "internal_domains": "globex.example, acme.example"},
    )
    assert response.status_code == 200
    assert "acme.example is already an internal domain of another company." in (
        response.content.decode()
    )
    globex.refresh_from_db()
    assert globex.internal_domains == ["globex.example"]
