"""Validation errors as sentences in the user's language: "title: at most 300 characters".

pydantic words its errors in English only; the common kinds are said here through gettext,
anything else keeps pydantic's wording.
"""

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

# Where ninja found the value: not part of the field's name for the reader.
SOURCES = {"body", "payload", "query", "path", "filters", "pagination", "header", "form"}


def _whole_number(ctx):
    return _("a whole number")


def _datetime(ctx):
    return _("a date and time (ISO 8601)")


def _uuid(ctx):
    return _("a UUID")


def _object(ctx):
    return _("an object")


# pydantic's error type -> its message, from the error's ctx.
MESSAGES = {
    "missing": lambda ctx: _("is required"),
    "string_too_long": lambda ctx: (
        ngettext("at most %(count)d character", "at most %(count)d characters", ctx["max_length"])
        % {"count": ctx["max_length"]}
    ),
    "string_too_short": lambda ctx: (
        ngettext("at least %(count)d character", "at least %(count)d characters", ctx["min_length"])
        % {"count": ctx["min_length"]}
    ),
    "too_long": lambda ctx: (
        ngettext("at most %(count)d entry", "at most %(count)d entries", ctx["max_length"])
        % {"count": ctx["max_length"]}
    ),
    "too_short": lambda ctx: (
        ngettext("at least %(count)d entry", "at least %(count)d entries", ctx["min_length"])
        % {"count": ctx["min_length"]}
    ),
    "less_than_equal": lambda ctx: _("at most %(limit)s") % {"limit": ctx["le"]},
    "greater_than_equal": lambda ctx: _("at least %(limit)s") % {"limit": ctx["ge"]},
    "int_parsing": _whole_number,
    "int_type": _whole_number,
    "int_from_float": _whole_number,
    "string_type": lambda ctx: _("a text (not null)"),
    "literal_error": lambda ctx: _("one of %(choices)s") % {"choices": ctx["expected"]},
    "uuid_parsing": _uuid,
    "uuid_type": _uuid,
    "datetime_parsing": _datetime,
    "datetime_from_date_parsing": _datetime,
    "datetime_type": _datetime,
    "list_type": lambda ctx: _("a list"),
    "model_type": _object,
    "model_attributes_type": _object,
    "dict_type": _object,
}


def describe(error: dict) -> str:
    """One pydantic error (as ninja passes it on) as "where: what"."""
    where = ".".join(str(p) for p in error.get("loc", ()) if p not in SOURCES)
    ctx = error.get("ctx") or {}
    kind = error.get("type")
    if kind == "value_error" and "error" in ctx:
        what = str(ctx["error"])  # our own validators' text, already translated
    elif kind in MESSAGES:
        try:
            what = MESSAGES[kind](ctx)
        except (KeyError, TypeError, ValueError):
            what = str(error.get("msg"))
    else:
        what = str(error.get("msg"))
    return f"{where}: {what}" if where else what
