from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed

from portier.lib.errors import DomainError
from portier.sandbox import client, services

CONNECT_VIEW = "integrations:google_connect"


class SandboxConnectMiddleware:
    """Sandbox only: "Connect Google Calendar" lands on the host's own sandbox account.

    The sandbox Google makes an account for each Portier user on first use (named like them),
    and the consent page preselects it through ``login_hint``, as Google's account chooser does.
    """

    def __init__(self, get_response):
        if not settings.PORTIER_SANDBOX:
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = request.resolver_match
        if (
            match is not None
            and match.view_name == CONNECT_VIEW
            and response.status_code == 302
            and response["Location"].startswith(settings.GOOGLE_AUTH_URI)
            and client.is_running()
            and request.user.is_authenticated
        ):
            try:
                account = services.sandbox_account(request.user)
            except DomainError:
                return response  # the consent page then offers whatever accounts exist
            response["Location"] = with_login_hint(response["Location"], account["email"])
        return response


def with_login_hint(url: str, email: str) -> str:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    query.setdefault("login_hint", email)
    return urlunsplit(parts._replace(query=urlencode(query)))
