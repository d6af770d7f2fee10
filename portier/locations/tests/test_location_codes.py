import pytest
from django.utils import translation

from portier.lib.errors import DomainError
from portier.locations import services
from portier.locations.models import Location
from portier.testing.factories import LocationFactory


def create(company, **fields):
    defaults = {"name": "Site", "address": "Street 1, Berlin", "time_zone": "Europe/Berlin"}
    return services.create_location(company=company, **{**defaults, **fields})


@pytest.mark.parametrize("typed", ["ANHQ", "anhq", " AnHq ", "B2", "ABCDEF123456"])
def test_valid_codes_are_stored_upper_case(acme, typed):
    location = create(acme, code=typed)
    assert location.code == typed.strip().upper()
    assert Location.objects.get(pk=location.pk).code == typed.strip().upper()


def test_blank_code_means_no_code(acme):
    assert create(acme, code="  ").code is None
    assert create(acme, code=None).code is None  # two locations without code are fine


@pytest.mark.parametrize("typed", ["A", "HQ-1", "ABCDEFGHIJKLM", "#ANHQ", "Ä1", "H Q"])
def test_malformed_codes_are_refused_in_english_and_german(acme, typed):
    with translation.override("en"), pytest.raises(DomainError) as english:
        create(acme, code=typed)
    assert english.value.field == "code"
    assert "2 to 12 letters" in str(english.value)
    with translation.override("de"), pytest.raises(DomainError) as german:
        create(acme, code=typed)
    assert "2 bis 12 Buchstaben" in str(german.value)
    assert not Location.objects.filter(company=acme).exists()


def test_duplicate_code_is_refused_case_insensitively(acme):
    create(acme, name="HQ", code="ANHQ")
    with translation.override("en"), pytest.raises(DomainError) as english:
        create(acme, name="Other", code="anhq")
    assert "ANHQ is already used" in str(english.value)
    with translation.override("de"), pytest.raises(DomainError) as german:
        create(acme, name="Other", code="AnHq")
    assert "ANHQ wird bereits" in str(german.value)
    assert Location.objects.filter(company=acme).count() == 1


def test_the_same_code_in_another_company_is_fine(acme, globex):
    create(acme, code="HQ")
    assert create(globex, code="hq").code == "HQ"


def test_editing_keeps_own_code_and_refuses_a_taken_one(acme):
    first = create(acme, name="First", code="ONE")
    second = create(acme, name="Second", code="TWO")
    services.update_location(location=first, name="First renamed", code="one")
    with pytest.raises(DomainError):
        services.update_location(location=second, code="ONE")


def test_the_database_refuses_a_case_variant_even_past_the_service(acme):
    from django.db import IntegrityError, transaction

    LocationFactory(company=acme, code="ANHQ")
    with pytest.raises(IntegrityError), transaction.atomic():
        Location.objects.create(company=acme, name="x", address="y", code="ANHQ")


def test_deleting_a_location_in_use_is_refused_with_a_reason(acme, alice, acme_hq):
    with translation.override("en"), pytest.raises(DomainError) as english:
        services.delete_location(location=acme_hq)
    assert "primary location of 1 user" in str(english.value)
    with translation.override("de"), pytest.raises(DomainError) as german:
        services.delete_location(location=acme_hq)
    assert "kann nicht gelöscht werden" in str(german.value)
    assert Location.objects.filter(pk=acme_hq.pk).exists()


def test_deleting_an_unused_location_works(acme):
    location = create(acme, code="GONE")
    services.delete_location(location=location)
    assert not Location.objects.filter(pk=location.pk).exists()


def test_unknown_time_zone_is_refused(acme):
    with pytest.raises(DomainError) as exc:
        create(acme, time_zone="Mars/Olympus")
    assert exc.value.field == "time_zone"
