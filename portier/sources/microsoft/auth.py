"""Tokens from Microsoft's identity platform through msal.

Connecting is msal's authorization-code flow with PKCE (``initiate_auth_code_flow`` and
``acquire_token_by_auth_code_flow``); msal adds ``openid``, ``profile`` and ``offline_access``
itself and refuses them in the scope list. Refresh tokens rotate: every refresh returns a new one,
which the client hands back through ``current_tokens()`` for the engine to store. Microsoft does
not revoke the old one on use, so a crash between a refresh and the save loses nothing.
"""

import json
import warnings
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import msal
import requests
from django.conf import settings

from portier.sources.base import AuthorizationRequest, OAuthFlow, ProviderError, Tokens

SCOPES = ["Calendars.Read", "User.Read"]
TIMEOUT = 30
PUBLIC_CLOUD_HOSTS = ("login.microsoftonline.com",)
# Refresh a little early: a token that expires during a page costs a 401 and a retry.
EARLY = timedelta(minutes=5)
# What the identity platform answers when the grant is gone: the host must reconnect.
LOST_GRANT = ("invalid_grant", "interaction_required", "invalid_client", "unauthorized_client")


def is_configured() -> bool:
    return bool(settings.MICROSOFT_CLIENT_ID and settings.MICROSOFT_CLIENT_SECRET)


def application() -> msal.ConfidentialClientApplication:
    """msal speaking to MICROSOFT_AUTHORITY. Outside the public cloud (a sovereign cloud, the
    simulator) msal must not ask the public cloud's instance discovery about it. HTTPS trusts
    the CA bundle named by REQUESTS_CA_BUNDLE (msal's requests session reads it)."""
    authority = settings.MICROSOFT_AUTHORITY
    try:
        return msal.ConfidentialClientApplication(
            settings.MICROSOFT_CLIENT_ID,
            client_credential=settings.MICROSOFT_CLIENT_SECRET,
            authority=authority,
            instance_discovery=urlsplit(authority).hostname in PUBLIC_CLOUD_HOSTS,
            timeout=TIMEOUT,
        )
    except (ValueError, requests.RequestException) as exc:
        raise ProviderError(f"Microsoft's sign-in could not be reached: {exc}") from exc


def tokens_from(result: dict, previous: Tokens | None = None) -> Tokens:
    """msal's answer as Tokens; raises ProviderError for an error answer."""
    if "error" in result:
        error = result.get("error", "")
        text = f"Microsoft refused: {error}: {result.get('error_description', '')}"[:1000]
        raise ProviderError(text, reauth=error in LOST_GRANT, permanent=True)
    refresh = result.get("refresh_token") or (previous.refresh_token if previous else "")
    if not refresh:
        raise ProviderError("Microsoft returned no refresh token", permanent=True)
    expires_in = int(result.get("expires_in") or 3600)
    return Tokens(
        refresh_token=refresh,
        access_token=result.get("access_token", ""),
        expires_at=datetime.now(UTC) + timedelta(seconds=expires_in),
        scopes=tuple(SCOPES),
    )


def refresh(tokens: Tokens) -> Tokens:
    try:
        result = application().acquire_token_by_refresh_token(tokens.refresh_token, SCOPES)
    except requests.RequestException as exc:
        raise ProviderError(f"Microsoft's sign-in could not be reached: {exc}") from exc
    return tokens_from(result, tokens)


def needs_refresh(tokens: Tokens) -> bool:
    return (
        not tokens.access_token
        or tokens.expires_at is None
        or tokens.expires_at < datetime.now(UTC) + EARLY
    )


class MicrosoftOAuth(OAuthFlow):
    """The browser goes to Microsoft and back to /integrations/microsoft/callback/. msal's
    flow (state, PKCE verifier, nonce) travels in the session as the "code verifier"."""

    def start(self, *, redirect_uri: str, login_hint: str | None = None) -> AuthorizationRequest:
        app = application()
        with warnings.catch_warnings():
            # msal recommends form_post; the callback is a GET like every source's, since a
            # cross-site POST would not carry the (SameSite=Lax) session cookie. The code is
            # single-use and bound to the PKCE verifier kept in the session.
            warnings.filterwarnings("ignore", message="response_mode='form_post'")
            flow = app.initiate_auth_code_flow(
                SCOPES,
                redirect_uri=redirect_uri,
                login_hint=login_hint,
                prompt="select_account",
                response_mode="query",
            )
        return AuthorizationRequest(
            url=flow["auth_uri"], state=flow["state"], code_verifier=json.dumps(flow)
        )

    def finish(self, *, redirect_uri: str, code: str, code_verifier: str) -> Tokens:
        try:
            flow = json.loads(code_verifier)
        except ValueError as exc:
            raise ProviderError("the sign-in was not started here", permanent=True) from exc
        if flow.get("redirect_uri") != redirect_uri:
            raise ProviderError("the sign-in was started for another address", permanent=True)
        # The generic callback view has compared the state already; msal checks it again,
        # and the id token's nonce.
        answer = {"code": code, "state": flow.get("state", "")}
        try:
            result = application().acquire_token_by_auth_code_flow(flow, answer)
        except (ValueError, RuntimeError, requests.RequestException) as exc:
            raise ProviderError(f"Microsoft refused the sign-in: {exc}", permanent=True) from exc
        return tokens_from(result)
