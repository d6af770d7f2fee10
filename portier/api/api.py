from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, Throttled, ValidationError

from portier.api.auth import TokenAuth
from portier.api.errors import describe
from portier.lib.errors import DomainError

api = NinjaAPI(
    title="Portier API",
    version="1",
    auth=TokenAuth(),
    urls_namespace="api",
    docs_url="/docs",
    # No badge from validator.swagger.io: the docs page asks nobody but us.
    docs=Swagger(settings={"validatorUrl": None}),
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


@api.exception_handler(Throttled)
def throttled(request, exc):
    response = api.create_response(
        request, {"detail": _("Too many failed attempts. Try again later.")}, status=429
    )
    if exc.wait:
        response["Retry-After"] = str(exc.wait)
    return response


@api.exception_handler(ValidationError)
def invalid(request, exc):
    problems = [describe(error) for error in exc.errors]
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
