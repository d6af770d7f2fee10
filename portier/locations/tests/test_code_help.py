"""The Integrations help explains location codes with the company's own codes."""

import re

from django.urls import reverse

from portier.locations.codes import find_code
from portier.locations.models import Location
from portier.locations.templatetags.location_codes import help_examples
from portier.testing.factories import LocationFactory


def test_the_help_uses_the_companys_codes_not_a_made_up_one(bob_client, bob, acme):
    Location.objects.filter(company=acme).update(code=None)
    LocationFactory(company=acme, name="Munich", code="MUC1")
    LocationFactory(company=acme, name="Munich 2", code="MUCX")
    body = bob_client.get(reverse("integrations:list")).content.decode()
    help_text = body[body.index('id="location-codes"') :]
    assert "ANHQ" not in help_text and "ANHX" not in help_text
    assert "<code>MUC1</code>" in help_text and "<code>#MUC1 Room 4.12</code>" in help_text
    # The wrong-code example is none of the company's codes (MUCX is one here).
    wrong = re.search(r"written in capitals \(<code>(\w+)</code>", help_text).group(1)
    assert wrong not in {"MUC1", "MUCX"} and wrong.startswith("MUC")


def test_no_example_contradicts_the_companys_codes(acme):
    Location.objects.filter(company=acme).update(code=None)
    for code in ("HQ", "LOBBY", "AB1X", "AB1"):
        LocationFactory(company=acme, name=f"Site {code}", code=code)
    examples = help_examples(acme)
    codes = set(examples["codes"])
    assert examples["wrong"] not in codes
    assert examples["plain_word"].upper() not in codes
    assert not examples["plain_phrase"].startswith("HQ ")
    # What the help calls plain text is really not read as a code.
    assert find_code(examples["plain_word"].lower(), "", codes) is None
    assert find_code(examples["plain_phrase"], "", codes) is None
    assert find_code(examples["wrong"], "", codes).known is False


def test_a_company_without_codes_gets_a_generic_example(acme):
    Location.objects.filter(company=acme).update(code=None)
    examples = help_examples(acme)
    assert examples["codes"] == [] and examples["code"] == "HQ1"
