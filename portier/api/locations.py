from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from portier.api.types import Input, Language, Omittable, PathId
from portier.locations import services
from portier.locations.models import Location
from portier.visits.limits import ADDRESS_MAX_LENGTH

router = Router(tags=["locations"])


class LocationOut(Schema):
    id: int
    name: str
    address: str
    time_zone: str
    code: str | None
    language: str


def _max(field: str) -> int:
    return Location._meta.get_field(field).max_length


ZONE_DOC = "An IANA time zone, e.g. Europe/Berlin."
CODE_DOC = "2 to 12 letters or digits; null: no code."
LANGUAGE_DOC = "For guests; empty (or null when changing): the company's language."


class LocationIn(Input):
    name: str = Field(min_length=1, max_length=_max("name"))
    address: str = Field(min_length=1, max_length=ADDRESS_MAX_LENGTH)
    time_zone: str = Field(
        "Europe/Berlin", min_length=1, max_length=_max("time_zone"), description=ZONE_DOC
    )
    code: str | None = Field(None, max_length=_max("code"), description=CODE_DOC)
    language: Language = Field("", description=LANGUAGE_DOC)


class LocationPatch(Input):
    """Only what is given changes."""

    name: str = Omittable(min_length=1, max_length=_max("name"))
    address: str = Omittable(min_length=1, max_length=ADDRESS_MAX_LENGTH)
    time_zone: str = Omittable(min_length=1, max_length=_max("time_zone"), description=ZONE_DOC)
    code: str | None = Field(None, max_length=_max("code"), description=CODE_DOC)
    language: Language | None = Field(None, description=LANGUAGE_DOC)


def _ensure_admin(request):
    if not request.membership.is_admin:
        raise PermissionDenied


def _get(request, location_id) -> Location:
    return get_object_or_404(Location.objects.for_company(request.company), pk=location_id)


@router.get("", response=list[LocationOut])
def list_locations(request):
    return list(Location.objects.for_company(request.company))


@router.post("", response={201: LocationOut})
def create_location(request, payload: LocationIn):
    _ensure_admin(request)
    return Status(201, services.create_location(company=request.company, **payload.dict()))


@router.get("/{location_id}", response=LocationOut)
def get_location(request, location_id: PathId):
    return _get(request, location_id)


@router.patch("/{location_id}", response=LocationOut)
def patch_location(request, location_id: PathId, payload: LocationPatch):
    location = _get(request, location_id)
    _ensure_admin(request)
    fields = payload.dict(exclude_unset=True)
    if fields.get("language", "") is None:
        fields["language"] = ""
    return services.update_location(location=location, **fields)


@router.delete("/{location_id}", response={204: None})
def delete_location(request, location_id: PathId):
    location = _get(request, location_id)
    _ensure_admin(request)
    services.delete_location(location=location)
    return Status(204, None)
