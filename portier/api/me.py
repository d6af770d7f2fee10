from ninja import Field, Router, Schema

from portier.accounts import services
from portier.accounts.models import User
from portier.api.types import Id, Input, Language, Omittable

router = Router(tags=["me"])


class MeOut(Schema):
    id: int
    email: str
    name: str
    language: str
    role: str
    company_id: int
    company_name: str
    primary_location_id: int | None


class MePatch(Input):
    """Only what is given changes. name and language are never null (empty: none)."""

    name: str = Omittable(max_length=User._meta.get_field("name").max_length)
    language: Language = Omittable(description="Empty: follow the browser.")
    primary_location_id: Id | None = Field(None, description="null: no primary location.")


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
