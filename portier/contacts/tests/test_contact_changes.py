"""A host corrects or deletes their own contacts; nobody else's."""

import pytest
from django.urls import reverse

from portier.contacts.models import Contact

pytestmark = pytest.mark.django_db


@pytest.fixture
def anns(bob):
    return Contact.objects.create(
        company=bob.company, host=bob, email="ann@example.org", name="Ann Arbr"
    )


def test_a_host_corrects_a_contacts_name_and_address(bob_client, anns):
    url = reverse("contacts:edit", args=[anns.pk])
    assert bob_client.get(url).context["form"]["email"].value() == "ann@example.org"
    response = bob_client.post(url, {"name": " Ann  Arbor ", "email": "Ann@Example.com"})
    assert response.status_code == 302
    assert response.url == reverse("contacts:detail", args=[anns.pk])
    anns.refresh_from_db()
    assert (anns.name, anns.email) == ("Ann Arbor", "ann@example.com")


def test_an_address_already_in_the_address_book_is_refused(bob_client, bob, anns):
    Contact.objects.create(company=bob.company, host=bob, email="ben@example.net", name="Ben")
    response = bob_client.post(
        reverse("contacts:edit", args=[anns.pk]), {"name": "Ann", "email": "ben@example.net"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [
        "ben@example.net is already one of your contacts."
    ]
    anns.refresh_from_db()
    assert anns.email == "ann@example.org"


def test_deleting_asks_first_and_forgets_the_contact(bob_client, anns):
    page = bob_client.get(reverse("contacts:detail", args=[anns.pk])).content.decode()
    assert f'action="{reverse("contacts:delete", args=[anns.pk])}" data-confirm=' in page
    assert bob_client.get(reverse("contacts:delete", args=[anns.pk])).status_code == 405
    response = bob_client.post(reverse("contacts:delete", args=[anns.pk]))
    assert response.status_code == 302 and response.url == reverse("contacts:list")
    assert not Contact.objects.filter(pk=anns.pk).exists()


@pytest.mark.parametrize("client_name", ["carol_client", "alice_client"])
def test_carol_an_outsider_and_alice_a_colleague_get_404(request, anns, client_name):
    client = request.getfixturevalue(client_name)
    assert client.get(reverse("contacts:edit", args=[anns.pk])).status_code == 404
    edit = client.post(reverse("contacts:edit", args=[anns.pk]), {"email": "x@example.org"})
    assert edit.status_code == 404
    assert client.post(reverse("contacts:delete", args=[anns.pk])).status_code == 404
    anns.refresh_from_db()
    assert anns.email == "ann@example.org"


def test_the_edit_page_speaks_german(bob_client, bob, anns):
    bob.language = "de"
    bob.save()
    page = bob_client.get(reverse("contacts:edit", args=[anns.pk])).content.decode()
    assert "Kontakt bearbeiten" in page
