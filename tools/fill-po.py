"""Fill German msgstrs from a Python dict file (DE, PLURALS); reports what is still missing.

A msgid that the catalogue does not hold yet is appended at its end, so parallel branches that
each add strings merge cleanly (`.gitattributes` merges the catalogue as a union). Plural
entries are given as PLURALS = {"singular": ("plural msgid", ("de singular", "de plural"))}.

Usage: .venv/bin/python tools/fill-po.py TRANSLATIONS.py
"""

import runpy
import sys
from pathlib import Path

import polib

PO = Path(__file__).resolve().parent.parent / "portier/locale/de/LC_MESSAGES/django.po"

data = runpy.run_path(sys.argv[1]) if len(sys.argv) > 1 else {}
de, plurals = data.get("DE", {}), data.get("PLURALS", {})
po = polib.pofile(str(PO))
po.metadata["Plural-Forms"] = "nplurals=2; plural=(n != 1);"
po.metadata["Language"] = "de"
known = {entry.msgid for entry in po}
for msgid, msgstr in de.items():
    if msgid not in known:
        po.append(polib.POEntry(msgid=msgid, msgstr=msgstr))
for msgid, value in plurals.items():
    if msgid not in known and len(value) == 2 and isinstance(value[0], str):
        plural, forms = value
        po.append(
            polib.POEntry(msgid=msgid, msgid_plural=plural, msgstr_plural=dict(enumerate(forms)))
        )
missing = []
for entry in po:
    if "fuzzy" in entry.flags:
        # msgmerge's guesses are usually wrong; only a real translation clears the flag.
        entry.flags.remove("fuzzy")
        entry.msgstr = ""
        entry.msgstr_plural = dict.fromkeys(entry.msgstr_plural, "")
    if entry.msgid_plural:
        if entry.msgid in plurals:
            forms = plurals[entry.msgid]
            if len(forms) == 2 and isinstance(forms[0], str) and not isinstance(forms[1], str):
                forms = forms[1]
            entry.msgstr_plural = dict(enumerate(forms))
        if not all(entry.msgstr_plural.values()):
            missing.append(entry.msgid)
    else:
        if entry.msgid in de:
            entry.msgstr = de[entry.msgid]
        if not entry.msgstr:
            missing.append(entry.msgid)
po.save()
for msgid in missing:
    print("missing:", repr(msgid))
sys.exit(1 if missing else 0)
