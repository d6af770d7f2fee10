from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from portier.api.auth import TokenAuth
from portier.lib.errors import DomainError

api = NinjaAPI(
    title="Portier API",
    version="1",
    auth=TokenAuth(),
    urls_namespace="api",
    docs_url="/docs",
)


@api.exception_handler(DomainError)
def domain_error(request, exc):
    return api.create_response(
        request, {"detail": str(exc.message), "field": exc.field}, status=400
    )


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": _("Not found.")}, status=404)


@api.exception_handler(PermissionDenied)
def forbidden(request, exc):
    return api.create_response(
        request, {"detail": _("Only admins of your company may do this.")}, status=403
    )


@api.exception_handler(AuthenticationError)
def unauthorized(request, exc):
    return api.create_response(
        request,
        {"detail": _("Send a valid API token: Authorization: Bearer <token>.")},
        status=401,
    )


@api.exception_handler(ValidationError)
def invalid(request, exc):
    problems = []
    for error in exc.errors:
        where = ".".join(str(p) for p in error.get("loc", []) if p not in ("body", "payload"))
        problems.append(f"{where}: {error.get('msg')}" if where else str(error.get("msg")))
    return api.create_response(
        request,
        {
            "detail": _("The request is not valid: %(problems)s")
            % {"problems": "; ".join(problems)},
            "errors": exc.errors,
        },
        status=422,
    )


api.add_router("/me", "portier.api.me.router")
api.add_router("/locations", "portier.api.locations.router")
api.add_router("/integrations", "portier.api.integrations.router")
api.add_router("/appointments", "portier.api.appointments.router")
api.add_router("/check-ins", "portier.api.checkins.check_ins")
api.add_router("/check-outs", "portier.api.checkins.check_outs")
api.add_router("/on-site", "portier.api.checkins.on_site")
api.add_router("/visitor-log", "portier.api.visitor_log.router")
