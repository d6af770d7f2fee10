"""{% load location_codes %}{% location_code_help %}: how to choose a location per event,
explained with the company's own codes (never an example that means something else there)."""

from django import template

from portier.locations.models import Location

register = template.Library()
FALLBACK = "HQ1"  # the company has no codes yet: any example will do


def _unused(codes: set[str], *candidates: str) -> str:
    return next(c for c in candidates if c.upper() not in codes)


def help_examples(company) -> dict:
    rows = Location.objects.filter(company=company).exclude(code__isnull=True).exclude(code="")
    codes = {c.upper() for c in rows.order_by("name").values_list("code", flat=True)}
    first = (rows.order_by("name").values_list("code", flat=True).first() or FALLBACK).upper()
    stem = first[:-1] if len(first) > 2 else first
    wrong = _unused(codes, *(stem + s for s in "XYZQ"), first + "X", "ZZ9Z")
    return {
        "codes": sorted(codes),
        "code": first,
        "code_lower": first.lower(),
        "wrong": wrong,
        "wrong_lower": wrong.lower(),
        # Plain words that are never codes, unless the company made them one.
        "plain_word": _unused(codes, "Lobby", "Reception", "Cafeteria"),
        "plain_phrase": _unused(codes, "HQ", "Office") + " Berlin",
    }


@register.inclusion_tag("locations/code_help.html", takes_context=True)
def location_code_help(context):
    return help_examples(getattr(context.get("request"), "company", None))
