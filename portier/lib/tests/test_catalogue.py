"""The German catalogue is complete: every msgid has a German msgstr (none fuzzy), and every
string the code and the templates mark for translation is in it.

The marked strings are found the way `makemessages` finds them (xgettext on the Python files,
on Django's templatize() of the templates), into a temporary directory: the real catalogue is
never rewritten."""

import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from django.utils.translation.template import templatize

ROOT = Path(__file__).resolve().parents[2]  # portier/
PO = ROOT / "locale" / "de" / "LC_MESSAGES" / "django.po"
SKIP_DIRS = {"tests", "testing", "migrations", "node_modules", "static", "vendor"}
KEYWORDS = [
    "gettext_noop",
    "gettext_lazy",
    "ngettext_lazy:1,2",
    "pgettext:1c,2",
    "npgettext:1c,2,3",
    "pgettext_lazy:1c,2",
    "npgettext_lazy:1c,2,3",
    "ngettext:1,2",
    "gettext",
    "_",
]


def _sources(suffixes):
    for path in sorted(ROOT.rglob("*")):
        relative = path.relative_to(ROOT)
        if path.suffix in suffixes and not SKIP_DIRS & set(relative.parts[:-1]):
            yield path


def _key(entry) -> tuple[str, str]:
    return (entry.msgctxt or "", entry.msgid)


def marked_strings(tmp_path: Path) -> dict[tuple[str, str], str]:
    """(context, msgid) -> where it is used, for every string marked in code and templates."""
    files = [str(p) for p in _sources({".py"})]
    for template in _sources({".html", ".txt"}):
        if "templates" not in template.parts:
            continue
        target = tmp_path / (str(template.relative_to(ROOT)).replace("/", "__") + ".py")
        target.write_text(templatize(template.read_text(), origin=str(template)))
        files.append(str(target))
    output = tmp_path / "marked.pot"
    subprocess.run(
        [
            "xgettext",
            "--language=Python",
            "--from-code=UTF-8",
            "--no-wrap",
            f"--output={output}",
            *(f"--keyword={k}" for k in KEYWORDS),
            *files,
        ],
        check=True,
        capture_output=True,
    )
    return {
        _key(e): ", ".join(f"{f}:{n}" for f, n in e.occurrences[:2])
        for e in polib.pofile(str(output))
        if e.msgid
    }


def test_every_msgid_of_the_german_catalogue_is_translated():
    catalogue = polib.pofile(str(PO))
    untranslated = [e.msgid for e in catalogue if e.msgid and not e.translated()]
    fuzzy = [e.msgid for e in catalogue if "fuzzy" in e.flags]
    assert untranslated == []
    assert fuzzy == []


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext's xgettext")
def test_every_string_marked_for_translation_is_in_the_german_catalogue(tmp_path):
    known = {_key(e) for e in polib.pofile(str(PO)) if not e.obsolete}
    missing = {k: where for k, where in marked_strings(tmp_path).items() if k not in known}
    assert missing == {}
