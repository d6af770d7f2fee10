"""The rules of docs/location-codes.md, as a table. The company's codes: ANHQ, HQ, B2, MUC1."""

import pytest
from django.urls import reverse

from portier.locations.codes import NOT_CODES, CodeMatch, find_code
from portier.locations.models import CODE_RE

KNOWN = {"ANHQ", "HQ", "B2", "MUC1"}
VALID, WRONG = "valid", "wrong"

CASES = [
    # location field, title, expected: None or (code, valid/wrong)
    # -- the code on its own in the location field, any case
    ("ANHQ", "Visit Siemens", ("ANHQ", VALID)),
    ("anhq", "Besuch Siemens", ("ANHQ", VALID)),
    (" ANHQ ", "", ("ANHQ", VALID)),
    ("\tAnHq\n", None, ("ANHQ", VALID)),
    ("muc1", "Kick-off", ("MUC1", VALID)),
    ("hq", "Interview", ("HQ", VALID)),
    # -- marked with # or [ ] in the location field
    ("#ANHQ", "", ("ANHQ", VALID)),
    ("#anhq, Raum 4.12", "", ("ANHQ", VALID)),
    ("[ANHQ] Meeting room 3", "", ("ANHQ", VALID)),
    ("[ b2 ] 2. OG", "", ("B2", VALID)),
    ("#HQ-Gebäude, Empfang", "", ("HQ", VALID)),
    ("🏢 #ANHQ", "", ("ANHQ", VALID)),
    # -- marked in the title
    ("Meeting room 3", "[MUC1] Visit Siemens", ("MUC1", VALID)),
    ("", "Besuch #B2", ("B2", VALID)),
    (None, "[hq] Kick-off", ("HQ", VALID)),
    ("Raum 4.12", "Werksführung #muc1 🎉", ("MUC1", VALID)),
    # -- several: the location field first, a valid code before a wrong one
    ("B2", "[ANHQ] Visit", ("B2", VALID)),
    ("#MUC1 #ANHQ", "", ("MUC1", VALID)),
    ("R2D2", "[ANHQ] Design review", ("ANHQ", VALID)),
    ("[WICHTIG] [ANHQ]", "", ("ANHQ", VALID)),
    # -- wrong codes: clearly meant as a code, but not one of the company's
    ("ANHX", "Visit", ("ANHX", WRONG)),
    ("#anhx", "", ("ANHX", WRONG)),
    ("[Anhx] Raum 3", "", ("ANHX", WRONG)),
    ("Raum 4.12", "[XYZ] Visit", ("XYZ", WRONG)),
    ("", "Besuch #BER2", ("BER2", WRONG)),
    ("GLOB", "Visit", ("GLOB", WRONG)),  # another company's code
    ("R2D2", "Design review", ("R2D2", WRONG)),  # capitals alone in the field: meant as a code
    ("#ANHX", "[ANHY] Visit", ("ANHX", WRONG)),  # the first wrong one, location first
    # -- ordinary location text: never a code
    ("Meeting room 3", "Visit", None),
    ("Café am Markt", "Lunch with the team", None),
    ("Hauptstr. 5, 10115 Berlin", "Besuch", None),
    ("Friedrichstraße 100\n10117 Berlin", "Besuch", None),
    ("Raum 4.12", "Workshop", None),
    ("Straße", "", None),
    ("HQ Berlin", "Visit", None),
    ("ANHQ Raum 3", "Visit", None),  # unmarked code inside longer text
    ("Raum 1.12 (EG)", "Besuch", None),
    ("(ANHQ)", "", None),  # parentheses are not a marker
    ("c/o Müller GmbH, Straße des 17. Juni 1", "", None),
    ("10115", "", None),
    ("Zimmer 12", "Team-Meeting", None),
    ("Kantine", "Mittagessen", None),
    ("Lobby", "", None),
    ("Zoom", "", None),
    ("Online", "", None),
    ("ONLINE", "", None),
    ("tbd", "", None),
    ("TBD", "", None),
    ("Microsoft Teams-Besprechung", "Abstimmung", None),
    ("B 2", "", None),
    ("HQ-1", "", None),
    ("ABCDEFGHIJKLM", "", None),  # 13 characters: too long for a code
    ("#ABCDEFGHIJKLM", "", None),
    ("bob@acme.example", "", None),
    ("Anruf: +49 30 1234567", "", None),
    ("🏢 Empfang", "Besuch 🎉", None),
    # -- links, with and without scheme, including fragments
    ("https://meet.google.com/abc-defg-hij", "Call", None),
    ("meet.google.com/abc-defg-hij", "Call", None),
    (
        "https://teams.microsoft.com/l/meetup-join/19%3ameeting_NjA0ZTM5%40thread.v2/0"
        "?context=%7b%22Tid%22%3a%22ABCD%22%7d",
        "Sync",
        None,
    ),
    ("https://us02web.zoom.us/j/85512345678?pwd=ABCDEF#success", "Demo", None),
    ("https://example.com/page#ANHX", "", None),
    ("www.example.com/#[ANHX]", "", None),
    ("[Zoom](https://zoom.us/j/1)", "", None),
    # -- titles: tags, hashtags and numbers are not codes
    ("Raum 1.12 (EG)", "[Interview] Jane Doe", None),
    ("", "Sprint review #42", None),
    ("", "Kick-off #hiring", None),
    ("", "[Extern] Besuch", None),
    ("", "[EXTERNAL] Visit", None),
    ("", "[2024] Jahresplanung", None),
    ("", "C# workshop", None),
    ("", "Q&A &#39;ANHX&#39;", None),
    ("", "ANHX", None),  # the title is never read as a bare code
    # -- empty
    ("", "", None),
    (None, None, None),
    ("   ", "  ", None),
]


def outcome(match: CodeMatch | None):
    return None if match is None else (match.code, VALID if match.known else WRONG)


def test_the_table_is_big_enough():
    assert len(CASES) >= 40


@pytest.mark.parametrize(("location", "title", "expected"), CASES)
def test_recognition(location, title, expected):
    assert outcome(find_code(location, title, KNOWN)) == expected


@pytest.mark.parametrize(("location", "title", "expected"), CASES)
def test_a_found_code_is_always_a_well_formed_code(location, title, expected):
    match = find_code(location, title, KNOWN)
    assert match is None or CODE_RE.match(match.code)


@pytest.mark.parametrize(
    ("location", "title", "source", "form"),
    [
        (" anhq ", "", "location", "bare"),
        ("#ANHQ", "[B2]", "location", "hash"),
        ("Raum [anhq]", "", "location", "bracket"),
        ("Raum 3", "#MUC1 Visit", "title", "hash"),
        ("Raum 3", "[ANHX] Visit", "title", "bracket"),
    ],
)
def test_where_and_how_a_code_was_found(location, title, source, form):
    match = find_code(location, title, KNOWN)
    assert (match.source, match.form) == (source, form)


def test_known_codes_are_compared_case_insensitively():
    assert find_code("Anhq", "", {"anhq", None, ""}) == CodeMatch("ANHQ", "location", "bare", True)


def test_without_codes_every_code_is_wrong_and_text_stays_text():
    assert outcome(find_code("ANHQ", "", set())) == ("ANHQ", WRONG)
    assert outcome(find_code("anhq", "", set())) is None
    assert outcome(find_code("Meeting room 3", "Visit", set())) is None


@pytest.mark.parametrize("word", sorted(NOT_CODES))
def test_everyday_words_are_never_wrong_codes(word):
    assert find_code(word, f"[{word}] Visit", KNOWN) is None
    assert find_code(f"#{word.lower()}", "", KNOWN) is None


def test_an_everyday_word_that_is_a_code_of_the_company_counts():
    assert outcome(find_code("ONLINE", "", {"ONLINE"})) == ("ONLINE", VALID)


@pytest.mark.parametrize(
    ("language", "heading"),
    [("en", "Choosing the location per event"), ("de", "Den Standort pro Termin wählen")],
)
def test_the_integrations_page_explains_codes(bob, bob_client, acme_hq, language, heading):
    bob.language = language
    bob.save()
    response = bob_client.get(reverse("integrations:list"))
    assert response.status_code == 200
    assert heading in response.text
    assert "<code>[ANHQ] " in response.text  # the company's own code (acme_hq)
