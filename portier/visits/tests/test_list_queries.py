"""The list costs the same number of queries for 5 rows as for 50."""

import pytest
from django.urls import reverse

from portier.testing.factories import LocationFactory, make_member
from portier.visits.services import GuestInfo
from portier.visits.tests.helpers import appointment, at, synced

pytestmark = pytest.mark.django_db
MAX_QUERIES = 12


def seed(alice, acme, acme_hq, n):
    branch = LocationFactory(company=acme, name="Branch")
    hosts = [alice] + [
        make_member(acme, email=f"host{i}@acme.example", name=f"Host {i}") for i in range(3)
    ]
    for i in range(n):
        host, location = hosts[i % len(hosts)], (acme_hq, branch)[i % 2]
        guests = [GuestInfo(f"g{i}-{j}@example.org", f"Guest {j}") for j in range(3)]
        start = at(days=(i % 10) + 1 if i % 3 else -(i % 10) - 1)
        if i % 5 == 0:
            synced(host, location, title=f"Synced {i}", start=start, guests=guests)
        else:
            appointment(host, location, title=f"Visit {i}", start=start, guests=guests)


@pytest.mark.parametrize("n", [5, 50])
def test_list_queries_do_not_grow_with_rows(
    alice_client, alice, acme, acme_hq, n, django_assert_max_num_queries
):
    seed(alice, acme, acme_hq, n)
    with django_assert_max_num_queries(MAX_QUERIES) as captured:
        response = alice_client.get(reverse("visits:list"))
    assert response.content.decode().count('data-appointment="') == n
    with django_assert_max_num_queries(MAX_QUERIES):
        alice_client.get(reverse("visits:list"), {"q": "Visit", "location": acme_hq.pk})
    with django_assert_max_num_queries(MAX_QUERIES):
        alice_client.get(reverse("visits:list"), HTTP_HX_REQUEST="true")
    print(f"{n} rows: {len(captured)} queries")
