"""Carol (Globex) gets 404 on every page of Acme's appointments, contacts and front desk."""

import pytest
from django.urls import reverse

from portier.contacts.models import Contact
from portier.visits.tests.helpers import appointment, synced

pytestmark = pytest.mark.django_db


def test_carol_gets_404_on_every_page_of_acme(carol_client, bob, acme_hq):
    manual = appointment(bob, acme_hq)
    from_google = synced(bob, acme_hq)
    contact = Contact.objects.get(host=bob, email="ann@example.org")
    for url in [
        reverse("visits:detail", args=[manual.pk]),
        reverse("visits:edit", args=[manual.pk]),
        reverse("visits:detail", args=[from_google.pk]),
        reverse("checkin:front_desk", args=[acme_hq.pk]),
        reverse("contacts:detail", args=[contact.pk]),
    ]:
        assert carol_client.get(url).status_code == 404, url
    assert carol_client.post(reverse("visits:cancel", args=[manual.pk])).status_code == 404
    assert carol_client.post(reverse("visits:edit", args=[manual.pk]), {}).status_code == 404
    manual.refresh_from_db()
    assert not manual.is_cancelled


def test_carol_cannot_create_an_appointment_at_acmes_location(carol_client, acme_hq):
    response = carol_client.post(reverse("visits:create"), {"location": acme_hq.pk})
    assert response.status_code == 200
    assert "location" in response.context["form"].errors


def test_pages_need_a_login(client, bob, acme_hq):
    made = appointment(bob, acme_hq)
    for url in [
        reverse("visits:list"),
        reverse("visits:detail", args=[made.pk]),
        reverse("visits:create"),
        reverse("visits:ignored"),
        reverse("checkin:front_desk", args=[acme_hq.pk]),
        reverse("contacts:list"),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url, url
