"""Which location code, if any, a host typed into a calendar event. Pure functions, no database.

The rules (docs/location-codes.md says the same for hosts and admins):

1. Candidates. A candidate is a *word* of 2 to 12 letters A–Z or digits, found in one of three
   ways ("forms"):
   - ``bare``: the whole location field is that word (``ANHQ``, `` anhq ``);
   - ``hash``: ``#ANHQ`` anywhere in the location field or the title, the ``#`` starting a word;
   - ``bracket``: ``[ANHQ]`` anywhere in the location field or the title.
   Links are removed first (``https://…``, ``www.…``, ``host.tld/…``), so a URL fragment such as
   ``…#success`` is never a candidate. Parentheses are ordinary text: ``Raum 1.12 (EG)``.

2. One of the company's codes, in any case, always counts: that is a *valid* code.

3. A word that is not one of the company's codes counts as a *wrong* code only when it is
   clearly meant as one:
   - it contains a letter (``#42``, ``[2024]`` or a bare ``10115`` are numbers, not codes), and
   - it is not one of a few everyday words (``TBD``, ``ONLINE``, ``ZOOM``, ``EXTERN`` …), and
   - it is marked in the location field (``#anhx``, ``[Anhx]``: the host marked it, in any
     case), or it is written in capitals (bare ``ANHX`` in the location field, ``[ANHX]`` in the
     title). So ``Lobby``, ``Kantine`` or ``tbd`` as the whole location field and tags such as
     ``[Interview]`` or ``#hiring`` in the title are ordinary text.

4. Several candidates: the first valid code wins, location field before title, and within a
   field from left to right. Only when neither field holds a valid code does the first wrong
   code count (again location field first): the event is then held and the host told.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Source = Literal["location", "title"]
Form = Literal["bare", "hash", "bracket"]

# A code as stored: see portier.locations.models.CODE_RE. ASCII only, so "Straße" or "Café"
# never yield a code, and upper() of a matched word cannot change its length.
WORD = r"[A-Za-z0-9]{2,12}"
BARE_RE = re.compile(rf"^{WORD}$")
# '#' must start a word: not "C#", not "&#39;", not the fragment of a link.
MARKED_RE = re.compile(
    rf"(?<![\w&#/])#(?P<hash>{WORD})(?!\w)"  # #ANHQ
    rf"|\[\s*(?P<bracket>{WORD})\s*\](?!\()"  # [ANHQ], but not a Markdown link [Zoom](…)
)
LINK_RE = re.compile(
    r"(?:\b[A-Za-z][A-Za-z0-9+.-]*://|\bwww\.|\b[\w-]+(?:\.[\w-]+)+/)\S*"  # scheme, www., a/b
)
UPPER_RE = re.compile(r"^[A-Z0-9]*[A-Z][A-Z0-9]*$")

# Everyday words that are never taken as a wrong code (one of the company's codes still counts).
NOT_CODES = frozenset(
    {
        "TBD",
        "TBA",
        "TBC",
        "NA",
        "ONLINE",
        "REMOTE",
        "VIRTUAL",
        "ZOOM",
        "TEAMS",
        "WEBEX",
        "SKYPE",
        "MEET",
        "PHONE",
        "TELEFON",
        "EXTERN",
        "EXTERNAL",
        "INTERN",
        "INTERNAL",
        "DRAFT",
        "ENTWURF",
        "WIP",
        "FYI",
    }
)


@dataclass(frozen=True)
class CodeMatch:
    code: str  # upper-case
    source: Source
    form: Form
    known: bool  # one of the company's codes


def normalize_known(codes: Iterable[str | None]) -> frozenset[str]:
    return frozenset(c.strip().upper() for c in codes if c and c.strip())


def _candidates(text: str, source: Source) -> list[tuple[str, Form]]:
    """The words in one field that could be codes, in reading order, as typed."""
    found: list[tuple[str, Form]] = []
    stripped = text.strip()
    if source == "location" and BARE_RE.match(stripped):
        found.append((stripped, "bare"))
    for match in MARKED_RE.finditer(LINK_RE.sub(" ", text)):
        if match["hash"]:
            found.append((match["hash"], "hash"))
        else:
            found.append((match["bracket"], "bracket"))
    return found


def is_meant_as_code(word: str, source: Source, form: Form) -> bool:
    """Rule 3: an unknown word that is clearly meant as a code (so: a wrong code)."""
    if not any(c.isalpha() for c in word) or word.upper() in NOT_CODES:
        return False
    if source == "location" and form != "bare":
        return True
    return bool(UPPER_RE.match(word))


def find_code(
    location_text: str | None, title: str | None, known_codes: Iterable[str | None]
) -> CodeMatch | None:
    """The code the host typed into an event, valid (known=True) or wrong, or None for none."""
    known = normalize_known(known_codes)
    candidates = [
        (word, source, form)
        for source, text in (("location", location_text), ("title", title))
        for word, form in _candidates(text or "", source)
    ]
    for word, source, form in candidates:
        if word.upper() in known:
            return CodeMatch(word.upper(), source, form, known=True)
    for word, source, form in candidates:
        if is_meant_as_code(word, source, form):
            return CodeMatch(word.upper(), source, form, known=False)
    return None


def without_code(text: str, code: str) -> str:
    """The text a guest reads: `text` less the location code tag (`#MUC1`, `[MUC1]`, or the
    code as the whole field), so "[MUC1] Workshop" reads "Workshop" and "#MUC1 Raum 4.12" reads
    "Raum 4.12". Other text, links included, stays as typed."""
    text = text or ""
    if not code:
        return text.strip()
    if text.strip().upper() == code.upper():
        return ""
    wanted = code.upper()

    def drop(match: re.Match) -> str:
        word = match.group("hash") or match.group("bracket")
        return "" if word.upper() == wanted else match.group(0)

    # Until nothing changes: dropping "#MUC1" from "#MUC1#MUC1" makes the second one a tag.
    cleaned, previous = MARKED_RE.sub(drop, text), text
    while cleaned != previous:
        cleaned, previous = MARKED_RE.sub(drop, cleaned), cleaned
    cleaned = " ".join(cleaned.split())
    return cleaned.strip(" ,;·-–—|:/")
