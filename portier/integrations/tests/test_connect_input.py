"""Starting a Google connection with a malformed connection id: 404, never a 500
(issue 11, item 11)."""

import pytest
from django.test import Client
from django.urls import reverse

from portier.testing.factories import PASSWORD

SESSION_KEY = "google_oauth"

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "connection", ["abc", "1.5", "-1", "0", "١", "6224566386854350610366110770615287808"]
)
def test_a_connection_that_is_not_an_id_answers_404(bob, acme_hq, google_fake, connection):
    bob.primary_location = acme_hq
    bob.save()
    client = Client(raise_request_exception=False)
    assert client.login(username=bob.email, password=PASSWORD)
    response = client.post(
        reverse("integrations:connect", args=["google"]), {"connection": connection}
    )
    assert response.status_code == 404
    assert SESSION_KEY not in client.session  # no flow was started


def test_without_a_connection_the_flow_starts(bob, acme_hq, google_fake):
    bob.primary_location = acme_hq
    bob.save()
    client = Client()
    assert client.login(username=bob.email, password=PASSWORD)
    response = client.post(reverse("integrations:connect", args=["google"]), {"connection": ""})
    assert response.status_code == 302 and response["Location"].startswith(google_fake.auth_uri)


def test_a_state_with_non_ascii_characters_is_a_mismatch_not_a_500(bob, acme_hq, google_fake):
    bob.primary_location = acme_hq
    bob.save()
    client = Client(raise_request_exception=False)
    assert client.login(username=bob.email, password=PASSWORD)
    client.post(reverse("integrations:connect", args=["google"]))
    response = client.get(
        reverse("integrations:callback", args=["google"]), {"state": "é"}, follow=True
    )
    assert response.status_code == 200
    assert "did not match a connection you started" in response.content.decode()
