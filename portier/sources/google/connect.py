"""Connecting a Google account: the OAuth web-server flow with PKCE."""

import os
from urllib.parse import urlsplit

import requests
from django.conf import settings
from google_auth_oauthlib.flow import Flow
from oauthlib.oauth2.rfc6749.errors import OAuth2Error

from portier.sources.base import AuthorizationRequest, OAuthFlow, ProviderError, Tokens
from portier.sources.google.client import SCOPES, tokens_of

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def is_configured() -> bool:
    return bool(settings.GOOGLE_CLIENT_ID and settings.GOOGLE_CLIENT_SECRET)


def _allow_loopback_http() -> None:
    # oauthlib refuses http:// token endpoints; allow it only for loopback (simulator, sandbox).
    if urlsplit(settings.GOOGLE_TOKEN_URI).hostname in LOOPBACK:
        os.environ["OAUTHLIB_INSECURE_TRANSPORT"] = "1"


def _flow(redirect_uri: str, **kwargs) -> Flow:
    _allow_loopback_http()
    config = {
        "web": {
            "client_id": settings.GOOGLE_CLIENT_ID,
            "client_secret": settings.GOOGLE_CLIENT_SECRET,
            "auth_uri": settings.GOOGLE_AUTH_URI,
            "token_uri": settings.GOOGLE_TOKEN_URI,
            "redirect_uris": [redirect_uri],
        }
    }
    return Flow.from_client_config(config, scopes=SCOPES, redirect_uri=redirect_uri, **kwargs)


class GoogleOAuth(OAuthFlow):
    def start(self, *, redirect_uri: str, login_hint: str | None = None) -> AuthorizationRequest:
        flow = _flow(redirect_uri, autogenerate_code_verifier=True)
        extra = {"login_hint": login_hint} if login_hint else {}
        url, state = flow.authorization_url(
            access_type="offline", prompt="consent", include_granted_scopes="true", **extra
        )
        return AuthorizationRequest(url=url, state=state, code_verifier=flow.code_verifier)

    def finish(self, *, redirect_uri: str, code: str, code_verifier: str) -> Tokens:
        flow = _flow(redirect_uri, code_verifier=code_verifier)
        try:
            flow.fetch_token(code=code)
        except (OAuth2Error, requests.RequestException, ValueError, Warning) as exc:
            raise ProviderError(
                f"Google refused the authorization code: {exc}", permanent=True
            ) from exc
        finally:
            flow.oauth2session.close()
        credentials = flow.credentials
        if not credentials.refresh_token:
            raise ProviderError("Google returned no refresh token", permanent=True)
        return tokens_of(credentials)
