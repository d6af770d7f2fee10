"""Types the API's schemas share: what an id, a path id, an instant and a language may be.

Each bound is in the OpenAPI document, so a client (or a fuzzer) can see what is accepted, and
nothing the database cannot hold reaches it: a 40-digit id is a 422, not a 500.
"""

from datetime import datetime
from typing import Annotated, Any, Literal

from django.conf import settings
from django.utils.translation import gettext as _
from ninja import Field, Path, Schema
from pydantic import AfterValidator, field_validator

from portier.visits.limits import DB_INT_MAX

YEAR_MIN, YEAR_MAX = 1900, 2999


def _plausible(value: datetime) -> datetime:
    # Far-off years overflow when converted to UTC or to another zone (year 1 at +23:59).
    if not YEAR_MIN <= value.year <= YEAR_MAX:
        raise ValueError(
            _("the year must lie between %(min)d and %(max)d") % {"min": YEAR_MIN, "max": YEAR_MAX}
        )
    return value


class Input(Schema):
    """A request body. No text in it may hold a NUL character: PostgreSQL cannot store one."""

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value):
        if isinstance(value, str) and "\x00" in value:
            raise ValueError(_("must not contain NUL characters"))
        return value


def _no_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


def Omittable(**constraints) -> Any:  # noqa: N802 (used like pydantic's Field)
    """A PATCH field that may be left out (unchanged) but is never null."""
    return Field(None, json_schema_extra=_no_default, **constraints)


Id = Annotated[int, Field(ge=1, le=DB_INT_MAX)]
PathId = Annotated[int, Path(ge=1, le=DB_INT_MAX)]
Instant = Annotated[datetime, AfterValidator(_plausible)]
# A user's or a location's language; empty: follow the browser / the company.
Language = Literal[("", *(code for code, _name in settings.LANGUAGES))]
