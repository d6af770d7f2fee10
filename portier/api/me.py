from django.conf import settings
from ninja import Router, Schema
from pydantic import field_validator

from portier.accounts import services

router = Router(tags=["me"])

LANGUAGES = {code for code, _name in settings.LANGUAGES}


class MeOut(Schema):
    id: int
    email: str
    name: str
    language: str
    role: str
    company_id: int
    company_name: str
    primary_location_id: int | None


class MePatch(Schema):
    name: str | None = None
    language: str | None = None
    primary_location_id: int | None = None

    @field_validator("language")
    @classmethod
    def known_language(cls, value):
        if value is not None and value not in LANGUAGES | {""}:
            raise ValueError(f"must be one of {', '.join(sorted(LANGUAGES))} or empty")
        return value


def _me(request) -> dict:
    user = request.user
    return {
        "id": user.pk,
        "email": user.email,
        "name": user.name,
        "language": user.language,
        "role": request.membership.role,
        "company_id": request.company.pk,
        "company_name": request.company.name,
        "primary_location_id": user.primary_location_id,
    }


@router.get("", response=MeOut)
def get_me(request):
    return _me(request)


@router.patch("", response=MeOut)
def patch_me(request, payload: MePatch):
    fields = payload.dict(exclude_unset=True)
    if "primary_location_id" in fields:
        services.set_primary_location(
            user=request.user, location_id=fields.pop("primary_location_id")
        )
    if fields:
        services.update_profile(user=request.user, **fields)
    return _me(request)
