"""Tenancy for views: every page works inside the user's company; outsiders get 404."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def member_required(view):
    """Logged in and a member of a company; sets request.company and request.membership."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        membership = getattr(request.user, "membership", None)
        if membership is None:
            raise PermissionDenied
        request.membership = membership
        request.company = membership.company
        return view(request, *args, **kwargs)

    return wrapped


def admin_required(view):
    """Like member_required, and the member must be an admin (403 for hosts)."""

    @member_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.membership.is_admin:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped
