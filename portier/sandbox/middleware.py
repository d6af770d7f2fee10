from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import MiddlewareNotUsed
from django.shortcuts import redirect

from portier.lib.errors import DomainError
from portier.sandbox import client, services

CONNECT_VIEW = "integrations:connect"


class SandboxConnectMiddleware:
    """Sandbox only: "Connect" may connect the user's own sandbox account only.

    Applies to whichever source's connect redirects to the sandbox's simulator. It makes an
    account for each Portier user on first use (named like them).
    One simulator serves every company, so its consent page offers only the account named
    by ``login_hint``, and only when the hint carries our signature (``hint_sig``, keyed with
    the control token): a user cannot ask for another user's account by editing the URL.
    """

    def __init__(self, get_response):
        if not settings.PORTIER_SANDBOX:
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = request.resolver_match
        source = match.kwargs.get("slug", "") if match is not None else ""
        if (
            match is not None
            and match.view_name == CONNECT_VIEW
            and response.status_code == 302
            and client.is_running(source)
            and client.is_simulator_url(response["Location"], source)
            and request.user.is_authenticated
        ):
            try:
                account = services.sandbox_account(request.user, source)
            except DomainError as exc:
                messages.error(request, exc.message)
                return redirect("integrations:list")
            response["Location"] = with_login_hint(response["Location"], account["email"])
        return response


def with_login_hint(url: str, email: str) -> str:
    """The authorization URL for the user's own account (a reconnect's hint is the same one:
    a sandbox connection's account is its user's)."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    query.update(client.signed_login_hint(email))
    return urlunsplit(parts._replace(query=urlencode(query)))
