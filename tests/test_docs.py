"""The docs stand on their own: no pointer outside the repository, every relative link found."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = sorted([*ROOT.glob("*.md"), *(ROOT / "docs").glob("*.md")])
LINK = re.compile(r"\]\(([^)\s]+)\)")


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_docs_point_only_inside_the_repository_or_at_public_addresses(doc):
    text = doc.read_text()
    assert "shared/reference" not in text and "/work/" not in text
    for target in LINK.findall(text):
        if target.startswith(("http://", "https://", "mailto:", "#")):
            continue
        path = (doc.parent / target.partition("#")[0]).resolve()
        assert path.is_relative_to(ROOT), f"{doc.name} links outside the repository: {target}"
        assert path.exists(), f"{doc.name} links to a missing file: {target}"


def test_sync_doc_cites_public_sources():
    text = (ROOT / "docs" / "sync.md").read_text()
    assert "https://developers.google.com/calendar/api/guides/sync" in text
    assert "https://www.rfc-editor.org/rfc/rfc5545" in text
