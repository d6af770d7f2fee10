from django.db import transaction
from django.utils.translation import gettext as _

from portier.accounts.models import ApiToken, User
from portier.lib.errors import DomainError
from portier.locations.models import Location


@transaction.atomic
def update_profile(*, user: User, **fields) -> User:
    location = fields.get("primary_location", user.primary_location)
    if location is not None and location.company_id != user.company.pk:
        raise DomainError(_("Unknown location."), field="primary_location")
    for key in ("name", "language", "primary_location"):
        if key in fields:
            setattr(user, key, fields[key])
    user.save()
    return user


def set_primary_location(*, user: User, location_id: int | None) -> User:
    location = None
    if location_id is not None:
        location = Location.objects.for_company(user.company).filter(pk=location_id).first()
        if location is None:
            raise DomainError(_("Unknown location."), field="primary_location_id")
    return update_profile(user=user, primary_location=location)


def create_token(*, user: User, name: str) -> tuple[ApiToken, str]:
    return ApiToken.issue(user, name)
