from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from portier.accounts.models import ApiToken, User, hash_token
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


def create_token(*, user: User, name: str, valid_days: int | None = None) -> tuple[ApiToken, str]:
    """A new token, shown once; with valid_days it stops working that many days from now."""
    expires_at = timezone.now() + timedelta(days=valid_days) if valid_days else None
    return ApiToken.issue(user, name, expires_at=expires_at)


def revoke_token(*, token: ApiToken) -> None:
    token.delete()


def token_in_use(raw: str) -> ApiToken | None:
    """The token that opens the API for this raw value, or None (unknown, expired, revoked,
    its owner deactivated or without a company). Notes the use at most once a minute."""
    now = timezone.now()
    found = (
        ApiToken.objects.usable(now)
        .select_related("user__membership__company")
        .filter(token_hash=hash_token(raw))
        .first()
    )
    if found is None or getattr(found.user, "membership", None) is None:
        return None
    if found.needs_last_used(now):
        # The condition is repeated in the UPDATE so that parallel requests write once.
        recent = now - timedelta(seconds=ApiToken.LAST_USED_PRECISION)
        ApiToken.objects.filter(pk=found.pk).filter(
            Q(last_used__isnull=True) | Q(last_used__lte=recent)
        ).update(last_used=now)
    return found
