"""Fill German msgstrs from a Python dict file (DE, PLURALS); reports what is still missing.

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
missing = []
for entry in po:
    if "fuzzy" in entry.flags:
        # msgmerge's guesses are usually wrong; only a real translation clears the flag.
        entry.flags.remove("fuzzy")
        entry.msgstr = ""
        entry.msgstr_plural = dict.fromkeys(entry.msgstr_plural, "")
    if entry.msgid_plural:
        if entry.msgid in plurals:
            entry.msgstr_plural = dict(enumerate(plurals[entry.msgid]))
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
