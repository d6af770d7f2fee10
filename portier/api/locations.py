from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from portier.locations import services
from portier.locations.models import Location

router = Router(tags=["locations"])


class LocationOut(Schema):
    id: int
    name: str
    address: str
    time_zone: str
    code: str | None
    language: str


class LocationIn(Schema):
    name: str
    address: str
    time_zone: str = "Europe/Berlin"
    code: str | None = None
    language: str = ""


class LocationPatch(Schema):
    name: str | None = None
    address: str | None = None
    time_zone: str | None = None
    code: str | None = None
    language: str | None = None


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
def get_location(request, location_id: int):
    return _get(request, location_id)


@router.patch("/{location_id}", response=LocationOut)
def patch_location(request, location_id: int, payload: LocationPatch):
    location = _get(request, location_id)
    _ensure_admin(request)
    fields = payload.dict(exclude_unset=True)
    if fields.get("language", "") is None:
        fields["language"] = ""
    return services.update_location(location=location, **fields)


@router.delete("/{location_id}", response={204: None})
def delete_location(request, location_id: int):
    location = _get(request, location_id)
    _ensure_admin(request)
    services.delete_location(location=location)
    return Status(204, None)
