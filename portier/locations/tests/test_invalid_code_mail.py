"""resolve_location against one company's codes, and the host's e-mail about a wrong code."""

import datetime as dt
import json

import pytest

from portier.companies.models import Role
from portier.lib.mail import render_mail
from portier.locations import services
from portier.locations.placement import (
    INVALID_CODE_MAIL,
    Resolution,
    invalid_code_mail_context,
    resolve_location,
)
from portier.testing.factories import LocationFactory, make_member

START = dt.datetime(2025, 3, 12, 9, 0, tzinfo=dt.UTC)  # 10:00 in Berlin


@pytest.fixture
def acme_munich(acme):
    return LocationFactory(
        company=acme, name="Acme Munich", code="MUC1", address="Leopoldstraße 1\n80802 München"
    )


@pytest.fixture
def acme_codeless(acme):
    return LocationFactory(company=acme, name="Acme Lab", address="Laborweg 9, Hamburg")


@pytest.fixture
def globex_sites(globex, globex_office):
    return [globex_office, LocationFactory(company=globex, name="Globex Tower", code="GTWR")]


# -- resolve_location


def test_a_valid_code_places_the_event_at_that_location(acme, acme_hq, acme_munich):
    assert resolve_location(acme, " anhq ", "Visit").location == acme_hq
    resolution = resolve_location(acme, "Raum 4.12", "[muc1] Besuch")
    assert resolution == Resolution(
        location=acme_munich, code="MUC1", invalid=False, match=resolution.match
    )
    assert (resolution.match.source, resolution.match.form) == ("title", "bracket")


def test_no_code_leaves_the_choice_to_the_caller(acme, acme_hq):
    assert resolve_location(acme, "Meeting room 3", "Visit") == Resolution(None, None, False)
    assert resolve_location(acme, None, None) == Resolution(None, None, False)


def test_an_unknown_code_is_invalid_with_the_code_typed(acme, acme_hq):
    resolution = resolve_location(acme, "#anhx", "Visit")
    assert (resolution.location, resolution.code, resolution.invalid) == (None, "ANHX", True)


def test_another_companys_code_is_invalid_and_never_places_there(acme, acme_hq, globex_sites):
    for typed in ("GLOB", "#glob", "[GTWR]"):
        resolution = resolve_location(acme, typed, "Visit")
        assert resolution.invalid, typed
        assert resolution.location is None
    assert resolve_location(globex_sites[0].company, "ANHQ", "").invalid
    assert resolve_location(globex_sites[0].company, "gtwr", "").location == globex_sites[1]


def test_a_changed_code_applies_to_the_next_resolution(acme, acme_hq):
    services.update_location(location=acme_hq, code="BER1")
    assert resolve_location(acme, "ANHQ", "").invalid
    assert resolve_location(acme, "ber1", "").location == acme_hq
    services.update_location(location=acme_hq, code="")
    assert resolve_location(acme, "BER1", "").invalid


def test_resolution_costs_one_query(acme, acme_hq, acme_munich, django_assert_num_queries):
    with django_assert_num_queries(1):
        resolve_location(acme, "#MUC1", "[ANHQ]")


# -- the e-mail to the host


@pytest.fixture
def context(acme, alice, bob, acme_hq, acme_munich, acme_codeless, globex_sites):
    return invalid_code_mail_context(
        acme, bob, "Besuch <script>alert(1)</script> & Co", START, "ANHX", time_zone="Europe/Berlin"
    )


def test_the_context_is_plain_data_for_the_outbox(context):
    assert json.loads(json.dumps(context)) == context
    assert context["language"] == "en"  # bob's
    assert [c["code"] for c in context["codes"]] == ["ANHQ", "MUC1"]
    assert context["codes"][1]["address"] == "Leopoldstraße 1, 80802 München"
    assert context["admins"] == [{"name": "Alice", "email": "alice@acme.example"}]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            [
                "Hello Bob,",
                "names the location code ANHX",
                "Wed, 12 Mar 2025, 10:00 (Europe/Berlin)",
                "no invitation",
                "The location codes of Acme:",
                "Ask an administrator",
            ],
        ),
        (
            "de",
            [
                "Hallo Bob,",
                "nennt den Standort-Code ANHX",
                "Mi, 12. Mär 2025, 10:00 (Europe/Berlin)",
                "keine Einladung",
                "Die Standort-Codes von Acme:",
                "Fragen Sie einen Administrator",
            ],
        ),
    ],
)
def test_the_mail_names_event_code_codes_and_admins(acme, bob, context, language, expected):
    bob.language = language
    context = invalid_code_mail_context(
        acme, bob, context["event_title"], START, "ANHX", time_zone="Europe/Berlin"
    )
    subject, text, html = render_mail(INVALID_CODE_MAIL, context, context["language"])
    assert "ANHX" in subject and "Besuch" in subject
    for body in (text, html):
        for phrase in expected:
            assert phrase in body, (phrase, body)
        for code, name, street in [
            ("ANHQ", "Acme HQ", "Friedrichstraße 100"),
            ("MUC1", "Acme Munich", "Leopoldstraße 1"),
        ]:
            assert code in body and name in body and street in body
        assert "Acme Lab" not in body  # no code, nothing to type
        assert "Alice" in body and "alice@acme.example" in body
        for foreign in ("GLOB", "GTWR", "Globex"):
            assert foreign not in body


def test_html_escapes_the_event_title_and_text_keeps_it(context):
    subject, text, html = render_mail(INVALID_CODE_MAIL, context, "en")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in html
    assert "Besuch <script>alert(1)</script> & Co" in text
    assert "&amp;" not in subject and "&lt;" not in subject


def test_the_subject_is_one_line_whatever_the_title(acme, bob, acme_hq):
    title = "Visit\r\nBcc: victim@example.com\nX-Evil: 1"
    context = invalid_code_mail_context(acme, bob, title, START, "ANHX")
    for language in ("en", "de"):
        subject, text, _html = render_mail(INVALID_CODE_MAIL, context, language)
        assert "\n" not in subject and "\r" not in subject
        assert "Visit Bcc: victim@example.com X-Evil: 1" in subject
        assert "\r" not in text


def test_the_time_defaults_to_the_hosts_primary_location(acme, alice, acme_hq):
    alice.language = "de"
    context = invalid_code_mail_context(acme, alice, "Visit", START, "ANHX")
    assert context["event_start"] == "Mi, 12. Mär 2025, 10:00 (Europe/Berlin)"


def test_an_all_day_event_shows_its_date(acme, bob, acme_hq):
    context = invalid_code_mail_context(acme, bob, "Messe", dt.date(2025, 3, 12), "ANHX")
    assert context["event_start"] == "Wed, 12 Mar 2025"


def test_the_language_falls_back_to_the_company(acme, bob, acme_hq):
    bob.language = ""
    acme.language = "de"
    context = invalid_code_mail_context(acme, bob, "Visit", START, "ANHX")
    subject, _text, _html = render_mail(INVALID_CODE_MAIL, context, context["language"])
    assert subject == "Unbekannter Standort-Code ANHX in „Visit“"


def test_only_active_admins_are_named(acme, alice, bob, acme_hq):
    dora = make_member(acme, email="dora@acme.example", name="Dora", role=Role.ADMIN)
    dora.is_active = False
    dora.save()
    context = invalid_code_mail_context(acme, bob, "Visit", START, "ANHX")
    assert [a["name"] for a in context["admins"]] == ["Alice"]


def test_a_company_without_codes_is_told_so(globex, carol):
    globex.locations.update(code=None)
    context = invalid_code_mail_context(globex, carol, "Visit", START, "GLOB")
    _subject, text, html = render_mail(INVALID_CODE_MAIL, context, "en")
    assert "Globex has no location codes yet." in text
    assert "Globex has no location codes yet." in html


def test_a_link_is_shown_when_given(acme, bob, acme_hq):
    context = invalid_code_mail_context(
        acme, bob, "Visit", START, "ANHX", link="https://portier.example/visits/7/"
    )
    _subject, text, html = render_mail(INVALID_CODE_MAIL, context, "en")
    assert "https://portier.example/visits/7/" in text
    assert 'href="https://portier.example/visits/7/"' in html
