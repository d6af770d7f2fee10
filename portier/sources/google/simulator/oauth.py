"""Google's OAuth 2.0 web-server flow: consent page, token endpoint, revocation.

Modelled on https://developers.google.com/identity/protocols/oauth2/web-server:
- the consent page validates client_id and redirect_uri and shows an error page (never a
  redirect) when either is wrong;
- codes are single-use and expire; PKCE ``S256`` and ``plain`` are checked;
- a refresh token comes only with ``access_type=offline``, and only on the first consent of
  an account to a client unless ``prompt=consent``;
- revoking any token of a grant revokes the whole grant; a dead refresh token answers
  ``invalid_grant`` / "Token has been expired or revoked.".

Accounts on the consent page: Google shows the accounts signed in to the browser; the fake, with
no sign-in, offers all of its accounts (``login_hint`` preselects one), which is what tests
want. Portier's sandbox mode serves many users of many companies from one fake, so there
``hint_key`` is set: every consent must then carry ``login_hint`` with ``hint_sig``, the HMAC of
the hint under that key (Portier's web process knows the key and signs its own user's address),
and the page offers that one account only, and approves no other.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlencode, urlsplit

from .errors import unauthorized

EXPIRED_OR_REVOKED = "Token has been expired or revoked."


class ConsentError(Exception):
    """The authorization request is unusable: Google shows an error page, no redirect."""

    def __init__(self, status: int, error: str, description: str):
        self.status, self.error, self.description = status, error, description
        super().__init__(f"{error}: {description}")


@dataclass
class Client:
    client_id: str
    client_secret: str
    redirect_uris: list[str] | None  # None: any redirect URI is accepted


@dataclass(eq=False)
class Grant:
    """What one account consented to for one client."""

    account: str
    client_id: str
    scopes: tuple[str, ...]
    revoked: bool = False


@dataclass
class AuthRequest:
    id: str
    client_id: str
    redirect_uri: str
    scopes: tuple[str, ...]
    state: str | None
    code_challenge: str | None
    code_challenge_method: str
    offline: bool
    prompt: str
    login_hint: str | None
    only_hinted: bool = False  # the hint was signed: no other account may be chosen


@dataclass
class Code:
    request: AuthRequest
    account: str
    expires_at: datetime
    used: bool = False


@dataclass
class AccessToken:
    grant: Grant
    expires_at: datetime

    def is_live(self, now: datetime) -> bool:
        return not self.grant.revoked and now < self.expires_at


@dataclass
class OAuth:
    lock: threading.RLock
    clock: Callable[[], datetime]
    access_token_lifetime: int = 3599
    code_lifetime: int = 600
    clients: dict[str, Client] = field(default_factory=dict)
    hint_key: bytes | None = None  # set: only signed login hints (see the module docstring)
    revoked_tokens: list[str] = field(default_factory=list)
    _requests: dict[str, AuthRequest] = field(default_factory=dict)
    _codes: dict[str, Code] = field(default_factory=dict)
    _refresh: dict[str, Grant] = field(default_factory=dict)
    _access: dict[str, AccessToken] = field(default_factory=dict)

    def add_client(self, client_id: str, client_secret: str, redirect_uris=None) -> None:
        with self.lock:
            uris = list(redirect_uris) if redirect_uris is not None else None
            self.clients[client_id] = Client(client_id, client_secret, uris)

    # -- consent ----------------------------------------------------------------------------

    def authorization_request(self, query: dict[str, str]) -> AuthRequest:
        with self.lock:
            client = self.clients.get(query.get("client_id", ""))
        if client is None:
            raise ConsentError(401, "invalid_client", "The OAuth client was not found.")
        redirect_uri = query.get("redirect_uri", "")
        allowed = client.redirect_uris
        if not redirect_uri or (allowed is not None and redirect_uri not in allowed):
            raise ConsentError(
                400,
                "redirect_uri_mismatch",
                f"You can't sign in because this app sent an invalid request. "
                f"redirect_uri={redirect_uri}",
            )
        if query.get("response_type") != "code":
            raise ConsentError(400, "unsupported_response_type", "response_type must be code")
        scopes = tuple(query.get("scope", "").split())
        if not scopes:
            raise ConsentError(400, "invalid_request", "Missing required parameter: scope")
        method = query.get("code_challenge_method", "plain")
        if query.get("code_challenge") and method not in ("S256", "plain"):
            raise ConsentError(400, "invalid_request", "Invalid code_challenge_method")
        login_hint = query.get("login_hint")
        if self.hint_key is not None:
            expected = sign_login_hint(self.hint_key, login_hint or "")
            if not login_hint or not hmac.compare_digest(query.get("hint_sig", ""), expected):
                raise ConsentError(
                    400,
                    "invalid_request",
                    "This sandbox consent is only for the Portier user who started it: "
                    "start again from Portier's Connect button.",
                )
        request = AuthRequest(
            id=secrets.token_urlsafe(16),
            client_id=client.client_id,
            redirect_uri=redirect_uri,
            scopes=scopes,
            state=query.get("state"),
            code_challenge=query.get("code_challenge"),
            code_challenge_method=method,
            offline=query.get("access_type") == "offline",
            prompt=query.get("prompt", ""),
            login_hint=login_hint,
            only_hinted=self.hint_key is not None,
        )
        with self.lock:
            self._requests[request.id] = request
        return request

    def decide(self, request_id: str, account: str | None, approve: bool) -> str:
        """The redirect URL after the user clicked Approve or Deny."""
        with self.lock:
            request = self._requests.pop(request_id, None)
            if request is None:
                raise ConsentError(400, "invalid_request", "This consent request has expired.")
            params = {}
            if approve:
                if not account:
                    raise ConsentError(400, "invalid_request", "No account was chosen.")
                if request.only_hinted and account != request.login_hint:
                    raise ConsentError(400, "invalid_request", f"Unknown account {account!r}.")
                code = "4/0" + secrets.token_urlsafe(40)
                expires_at = self.clock() + timedelta(seconds=self.code_lifetime)
                self._codes[code] = Code(request, account, expires_at)
                params["code"] = code
                params["scope"] = " ".join(request.scopes)
                params["authuser"] = "0"
                if request.prompt:
                    params["prompt"] = request.prompt
            else:
                params["error"] = "access_denied"
            if request.state is not None:
                params = {"state": request.state, **params}
        separator = "&" if urlsplit(request.redirect_uri).query else "?"
        return request.redirect_uri + separator + urlencode(params)

    # -- token endpoint ---------------------------------------------------------------------

    def _authenticate(self, form: dict[str, str], basic: tuple[str, str] | None) -> Client:
        client_id, secret = basic or (form.get("client_id", ""), form.get("client_secret", ""))
        client = self.clients.get(client_id)
        if client is None:
            raise TokenError(401, "invalid_client", "The OAuth client was not found.")
        if not secrets.compare_digest(client.client_secret, secret or ""):
            raise TokenError(401, "invalid_client", "Unauthorized")
        return client

    def _issue(self, grant: Grant, refresh: bool) -> dict:
        access = "ya29." + secrets.token_urlsafe(48)
        expires_at = self.clock() + timedelta(seconds=self.access_token_lifetime)
        self._access[access] = AccessToken(grant, expires_at)
        body = {
            "access_token": access,
            "expires_in": self.access_token_lifetime,
            "scope": " ".join(grant.scopes),
            "token_type": "Bearer",
        }
        if refresh:
            token = "1//" + secrets.token_urlsafe(64)
            self._refresh[token] = grant
            body["refresh_token"] = token
        return body

    def token(self, form: dict[str, str], basic: tuple[str, str] | None) -> dict:
        """The token endpoint's JSON answer; raises TokenError for the error answers."""
        with self.lock:
            client = self._authenticate(form, basic)
            grant_type = form.get("grant_type")
            if grant_type == "authorization_code":
                return self._exchange_code(client, form)
            if grant_type == "refresh_token":
                grant = self._refresh.get(form.get("refresh_token", ""))
                if grant is None or grant.revoked:
                    raise TokenError(400, "invalid_grant", EXPIRED_OR_REVOKED)
                if grant.client_id != client.client_id:
                    raise TokenError(400, "unauthorized_client", "Unauthorized")
                return self._issue(grant, refresh=False)
            raise TokenError(400, "unsupported_grant_type", f"Invalid grant_type: {grant_type}")

    def _exchange_code(self, client: Client, form: dict[str, str]) -> dict:
        code = self._codes.get(form.get("code", ""))
        if code is None:
            raise TokenError(400, "invalid_grant", "Malformed auth code.")
        if code.used or self.clock() >= code.expires_at:
            raise TokenError(400, "invalid_grant", "Bad Request")
        request = code.request
        if request.client_id != client.client_id:
            raise TokenError(400, "invalid_grant", "Bad Request")
        if form.get("redirect_uri") != request.redirect_uri:
            raise TokenError(400, "redirect_uri_mismatch", "Bad Request")
        verifier = form.get("code_verifier")
        if request.code_challenge:
            if not verifier:
                raise TokenError(400, "invalid_grant", "Missing code verifier.")
            if request.code_challenge_method == "S256":
                digest = hashlib.sha256(verifier.encode("ascii")).digest()
                computed = base64.urlsafe_b64encode(digest).decode().rstrip("=")
            else:
                computed = verifier
            if not secrets.compare_digest(computed, request.code_challenge):
                raise TokenError(400, "invalid_grant", "Invalid code verifier.")
        elif verifier:
            raise TokenError(400, "invalid_request", "code_verifier or verifier is not needed.")
        code.used = True
        return self.grant(
            code.account, request.scopes, client.client_id, request.offline, request.prompt
        )

    def grant(
        self, account: str, scopes, client_id: str, offline: bool = True, prompt: str = "consent"
    ) -> dict:
        """A new grant and its tokens (what a finished consent yields)."""
        with self.lock:
            earlier = any(
                g.account == account and g.client_id == client_id and not g.revoked
                for g in self._refresh.values()
            )
            grant = Grant(account, client_id, tuple(scopes))
            refresh = offline and ("consent" in prompt.split() or not earlier)
            return self._issue(grant, refresh)

    # -- revocation and checks --------------------------------------------------------------

    def revoke(self, token: str) -> None:
        with self.lock:
            grant = self._refresh.get(token)
            if grant is None and token in self._access:
                access = self._access[token]
                grant = access.grant if access.is_live(self.clock()) else None
            if grant is None or grant.revoked:
                raise TokenError(400, "invalid_token", "Token expired or revoked")
            grant.revoked = True
            self.revoked_tokens.append(token)

    def revoke_account(self, email: str) -> None:
        with self.lock:
            grants = [*self._refresh.values(), *(a.grant for a in self._access.values())]
            for grant in grants:
                if grant.account == email:
                    grant.revoked = True

    def expire_access_tokens(self, email: str | None = None) -> None:
        with self.lock:
            past = self.clock() - timedelta(seconds=1)
            for access in self._access.values():
                if email is None or access.grant.account == email:
                    access.expires_at = past

    def check(self, authorization: str | None) -> Grant:
        """The grant behind a ``Bearer`` header, or the API's 401."""
        scheme, _, token = (authorization or "").partition(" ")
        with self.lock:
            access = self._access.get(token.strip()) if scheme.lower() == "bearer" else None
            if access is None or not access.is_live(self.clock()):
                raise unauthorized()
            return access.grant


def sign_login_hint(key: bytes, login_hint: str) -> str:
    return hmac.new(key, b"login_hint:" + login_hint.encode(), hashlib.sha256).hexdigest()


def offered_accounts(request: AuthRequest, accounts: dict[str, str]) -> dict[str, str]:
    """The accounts the consent page lets the user choose from."""
    if request.only_hinted:
        hint = request.login_hint
        return {hint: accounts[hint]} if hint in accounts else {}
    return accounts


class TokenError(Exception):
    def __init__(self, status: int, error: str, description: str):
        self.status = status
        self.body = {"error": error, "error_description": description}
        super().__init__(f"{error}: {description}")


# -- pages ----------------------------------------------------------------------------------

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>body{{font-family:sans-serif;max-width:32rem;margin:3rem auto}}</style></head>
<body>{body}</body></html>
"""


def consent_page(
    request: AuthRequest, accounts: dict[str, str], action: str, notice: str = ""
) -> str:
    """Account picker and Approve / Deny buttons, posting back to ``action``; ``notice`` is
    a paragraph of plain text above them (the sandbox says that this is not Google)."""
    chosen = request.login_hint if request.login_hint in accounts else next(iter(accounts), "")
    options = "".join(
        f'<option value="{html.escape(email)}"{" selected" if email == chosen else ""}>'
        f"{html.escape(name)} &lt;{html.escape(email)}&gt;</option>"
        for email, name in accounts.items()
    )
    scopes = "".join(f"<li>{html.escape(scope)}</li>" for scope in request.scopes)
    notice_html = f'<p id="notice"><em>{html.escape(notice)}</em></p>' if notice else ""
    body = f"""<h1>Sign in with Google</h1>{notice_html}
<p><strong>{html.escape(request.client_id)}</strong> wants to access your Google Account.</p>
<form method="post" action="{html.escape(action)}" id="consent">
<input type="hidden" name="request_id" value="{html.escape(request.id)}">
<p><label for="account">Account</label>
<select name="account" id="account">{options}</select></p>
<p>This will allow it to:</p><ul>{scopes}</ul>
<button type="submit" name="decision" value="approve" id="approve">Approve</button>
<button type="submit" name="decision" value="deny" id="deny">Deny</button>
</form>"""
    return PAGE.format(title="Sign in - Google Accounts", body=body)


def error_page(error: ConsentError) -> str:
    body = (
        f"<h1>Access blocked: authorization error</h1>"
        f"<p>{html.escape(error.description)}</p>"
        f"<p>Error {error.status}: <code>{html.escape(error.error)}</code></p>"
    )
    return PAGE.format(title=f"Error {error.status}: {error.error}", body=body)
