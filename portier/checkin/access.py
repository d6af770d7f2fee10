"""Who works which front desk: admins every location, reception theirs, hosts none."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from portier.companies.tenancy import member_required
from portier.locations.models import Location


def front_desk_locations(user):
    """The locations whose front desk the user may work (a QuerySet, empty for hosts)."""
    membership = getattr(user, "membership", None)
    if membership is None or not user.is_active:
        return Location.objects.none()
    locations = Location.objects.for_company(membership.company)
    if membership.is_admin:
        return locations
    if membership.is_reception:
        chosen = membership.locations.all()
        return locations.filter(pk__in=chosen) if chosen.exists() else locations
    return Location.objects.none()


def can_work_front_desk(user, location) -> bool:
    return front_desk_locations(user).filter(pk=location.pk).exists()


def is_front_desk_user(user) -> bool:
    membership = getattr(user, "membership", None)
    return bool(membership and (membership.is_admin or membership.is_reception))


def front_desk_required(view):
    """A member who is admin or reception (403 for hosts); sets request.company."""

    @member_required
    def wrapped(request, *args, **kwargs):
        if not is_front_desk_user(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def desk_location(request, location_id) -> Location:
    """The location, if it is the user's company's (else 404) and theirs to work (else 403)."""
    location = Location.objects.for_company(request.company).filter(pk=location_id).first()
    if location is None:
        raise Http404
    if not can_work_front_desk(request.user, location):
        raise PermissionDenied
    return location
