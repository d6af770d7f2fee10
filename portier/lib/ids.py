"""Ids and page numbers from query strings and form posts: text until proven a number."""

from django.http import Http404

# What a signed 64-bit integer column (bigint, SQLite's INTEGER) holds.
DB_INT_MAX = 2**63 - 1


def parse_id(raw) -> int | None:
    """A row id, or None when the text cannot be one (not a number, < 1, too big)."""
    text = str(raw or "").strip()
    if not text.isascii() or not text.isdigit() or len(text) > len(str(DB_INT_MAX)):
        return None
    value = int(text)
    return value if 1 <= value <= DB_INT_MAX else None


def id_or_404(raw) -> int:
    value = parse_id(raw)
    if value is None:
        raise Http404
    return value
