from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portier.lib.errors import DomainError
from portier.locations.models import Location, normalize_code

FIELDS = (
    "name",
    "address",
    "time_zone",
    "code",
    "language",
    # The front desk (issue 13).
    "check_in_opens_minutes",
    "check_in_grace_minutes",
    "day_ends_at",
    "requires_preregistration",
    "house_rules_en",
    "house_rules_de",
    "retention_days",
)


def ensure_code_free(*, company, code: str | None, exclude_pk=None) -> None:
    if not code:
        return
    taken = Location.objects.for_company(company).filter(code__iexact=code)
    if exclude_pk:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise DomainError(
            _("The code %(code)s is already used by another location of your company.")
            % {"code": code},
            field="code",
        )


def _validate(location: Location) -> None:
    location.code = normalize_code(location.code)
    try:
        location.full_clean(exclude=["company"], validate_constraints=False)
    except ValidationError as exc:
        field, errors = next(iter(exc.message_dict.items()))
        raise DomainError(errors[0], field=field) from None
    ensure_code_free(company=location.company, code=location.code, exclude_pk=location.pk)


def _save(location: Location) -> Location:
    try:
        with transaction.atomic():
            location.save()
    except IntegrityError:
        # Lost a race with another admin choosing the same code.
        ensure_code_free(company=location.company, code=location.code, exclude_pk=location.pk)
        raise
    return location


def create_location(*, company, **fields) -> Location:
    location = Location(company=company, **{k: v for k, v in fields.items() if k in FIELDS})
    _validate(location)
    return _save(location)


def update_location(*, location: Location, **fields) -> Location:
    """Change a location. A new code applies to the next sync; placed appointments stay put."""
    for key, value in fields.items():
        if key in FIELDS:
            setattr(location, key, value)
    _validate(location)
    return _save(location)


def describe_use(location: Location) -> list[str]:
    """What keeps a location from being deleted, in words."""
    reasons = []
    users = location.primary_users.count()
    if users:
        reasons.append(
            ngettext(
                "it is the primary location of %(count)d user",
                "it is the primary location of %(count)d users",
                users,
            )
            % {"count": users}
        )
    appointments = location.appointments.count()
    if appointments:
        reasons.append(
            ngettext(
                "%(count)d appointment takes place there",
                "%(count)d appointments take place there",
                appointments,
            )
            % {"count": appointments}
        )
    connections = location.connections.count()
    if connections:
        reasons.append(
            ngettext(
                "it is the integration location of %(count)d calendar connection",
                "it is the integration location of %(count)d calendar connections",
                connections,
            )
            % {"count": connections}
        )
    return reasons


@transaction.atomic
def delete_location(*, location: Location) -> None:
    reasons = describe_use(location)
    if not reasons:
        try:
            location.delete()
            return
        except ProtectedError as exc:
            reasons = [
                _("%(count)d other records still refer to it")
                % {"count": len(exc.protected_objects)}
            ]
    raise DomainError(
        _("%(name)s cannot be deleted: %(reasons)s.")
        % {"name": location.name, "reasons": "; ".join(reasons)}
    )
