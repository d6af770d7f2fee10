"""The time-zone select: the canonical IANA zones grouped by region, the browser's zone
preselected on a new location, an existing location's older zone kept."""

import zoneinfo

import pytest
from django.urls import reverse

from portier.locations.models import Location
from portier.locations.zones import REGIONS, canonical_zones, time_zone_choices, zone_aliases


def test_the_list_holds_the_canonical_zones_only():
    zones = canonical_zones()
    assert 380 <= len(zones) <= 450  # tz's zone.tab: one line per country and zone
    assert zones[0] == "UTC"
    for name in (
        "Europe/Berlin",
        "Europe/Oslo",
        "Europe/Kyiv",
        "Asia/Kolkata",
        "America/Argentina/Buenos_Aires",
        "Pacific/Auckland",
        "Arctic/Longyearbyen",
    ):
        assert name in zones, name  # fmt: skip
    for name in (
        "Factory",
        "localtime",
        "US/Eastern",
        "Asia/Calcutta",
        "Europe/Kiev",
        "Etc/GMT+5",
        "EST",
        "GB",
        "America/Buenos_Aires",
    ):
        assert name not in zones, name  # fmt: skip
    available = zoneinfo.available_timezones()
    for name in zones[1:]:
        assert name.split("/")[0] in REGIONS and name in available


def test_choices_are_utc_then_one_group_per_region():
    choices = time_zone_choices()
    assert choices[0] == ("UTC", "UTC")
    assert [group for group, _options in choices[1:]] == list(REGIONS)
    america = dict(choices[2][1])
    assert america["America/Argentina/Buenos_Aires"] == "Argentina / Buenos Aires"
    assert america["America/New_York"] == "New York"


def test_old_names_browsers_report_map_to_todays():
    aliases = zone_aliases()
    assert aliases["Asia/Calcutta"] == "Asia/Kolkata"
    assert aliases["Europe/Kiev"] == "Europe/Kyiv"
    assert aliases["Etc/UTC"] == "UTC"
    assert set(aliases.values()) <= set(canonical_zones())


@pytest.mark.django_db
def test_a_new_location_offers_grouped_zones_and_preselects_the_browsers(alice_client):
    page = alice_client.get(reverse("locations:create")).content.decode()
    assert '<optgroup label="Europe">' in page
    assert '<option value="Europe/Berlin" selected>Berlin</option>' in page  # without script
    assert 'value="Factory"' not in page and 'value="localtime"' not in page
    assert 'value="US/Eastern"' not in page
    assert '<script id="time-zone-aliases" type="application/json">' in page
    assert "locations/time-zone.js" in page


@pytest.mark.django_db
def test_an_existing_location_keeps_an_older_zone_name_and_gets_no_preselection(alice_client, acme):
    kiev = Location.objects.create(company=acme, name="Kyiv", time_zone="Europe/Kiev")
    page = alice_client.get(reverse("locations:edit", args=[kiev.pk])).content.decode()
    assert '<option value="Europe/Kiev" selected>Europe/Kiev</option>' in page
    assert "locations/time-zone.js" not in page
    response = alice_client.post(
        reverse("locations:edit", args=[kiev.pk]),
        {"name": "Kyiv", "address": "Khreshchatyk 1", "time_zone": "Europe/Kyiv", "code": ""},
    )
    assert response.status_code == 302, response.context["form"].errors
    kiev.refresh_from_db()
    assert kiev.time_zone == "Europe/Kyiv"


@pytest.mark.django_db
def test_a_legacy_zone_cannot_be_chosen_for_a_new_location(alice_client):
    response = alice_client.post(
        reverse("locations:create"),
        {"name": "Site", "address": "Street 1", "time_zone": "Factory", "code": ""},
    )
    assert response.status_code == 200
    assert "time_zone" in response.context["form"].errors
    assert not Location.objects.filter(name="Site").exists()


@pytest.mark.django_db
def test_the_zone_select_speaks_german(alice_client, alice):
    alice.language = "de"
    alice.save()
    page = alice_client.get(reverse("locations:create")).content.decode()
    assert "Zeitzone" in page
