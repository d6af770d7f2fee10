"""The identity platform as msal calls it: OpenID discovery, authorize (PKCE), token (code and
refresh_token grants, refresh-token rotation)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import json
import secrets
import time
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlencode, urlsplit

from portier.sources.microsoft.simulator.reply import Reply

if TYPE_CHECKING:
    from portier.sources.microsoft.simulator.fake import FakeMicrosoft


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _error(status: int, error: str, description: str):
    return Reply(status, {"error": error, "error_description": description})


class Identity:
    def __init__(self, sim: FakeMicrosoft) -> None:
        self.sim = sim

    def handle(self, request: dict):
        parts = request["path"].strip("/").split("/")
        tenant, rest = parts[0], "/".join(parts[1:])
        base = f"{self.sim.base_url}/{tenant}"
        if rest == "v2.0/.well-known/openid-configuration":
            return Reply(200, self.configuration(base, tenant))
        if rest == "oauth2/v2.0/authorize":
            return self.consent_page(request)
        if rest == "oauth2/v2.0/approve":
            return self.approve_page(request["query"])
        if rest == "oauth2/v2.0/token" and request["method"] == "POST":
            form = dict(parse_qsl(request["body"].decode()))
            return self.token(form, base)
        return Reply(404, {"error": "not_found"})

    def configuration(self, base: str, tenant: str) -> dict:
        return {
            "issuer": f"{self.sim.base_url}/{self.sim.TENANT_ID}/v2.0",
            # The browser's page is on the plain-HTTP listener (msal checks only the token
            # endpoint's scheme); a browser would warn about the test CA's certificate.
            "authorization_endpoint": f"{self.sim.web_url}/{tenant}/oauth2/v2.0/authorize",
            "token_endpoint": f"{base}/oauth2/v2.0/token",
            "jwks_uri": f"{base}/discovery/v2.0/keys",
            "response_types_supported": ["code"],
            "scopes_supported": ["openid", "profile", "email", "offline_access"],
            "tenant_region_scope": "EU",
        }

    # -- authorize -------------------------------------------------------------------------

    def _check_request(self, query: dict) -> None:
        if query.get("client_id") != self.sim.client_id:
            raise ValueError("AADSTS700016: unknown application")
        if query.get("response_type") != "code":
            raise ValueError("unsupported response_type")
        if query.get("code_challenge_method") != "S256" or not query.get("code_challenge"):
            raise ValueError("AADSTS9002325: PKCE (S256) is required")

    def _check_hint(self, query: dict) -> str:
        """In sandbox mode, the one account a consent may show and approve: the hinted one,
        signed by Portier (docs/sandbox.md). Otherwise any account ("" = no restriction)."""
        hint = (query.get("login_hint") or "").lower()
        if not self.sim.control_token:
            return ""
        expected = hmac.new(
            self.sim.control_token.encode(), b"login_hint:" + hint.encode(), hashlib.sha256
        ).hexdigest()
        if not hint or not hmac.compare_digest(query.get("hint_sig", ""), expected):
            raise ValueError("this sandbox consent must come from Portier's Connect button")
        return hint

    def consent_page(self, request: dict):
        query = request["query"]
        try:
            self._check_request(query)
            only = self._check_hint(query)
        except ValueError as exc:
            return Reply(400, f"<p>{html.escape(str(exc))}</p>")
        hint = only or (query.get("login_hint") or "").lower()
        accounts = [a for a in self.sim.accounts if not hint or a == hint]
        hidden = "".join(
            f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v)}">'
            for k, v in query.items()
            if k != "account"
        )
        options = "".join(f"<option>{html.escape(a)}</option>" for a in accounts)
        notice = html.escape(self.sim.consent_notice or "Simulated Microsoft sign-in.")
        return Reply(
            200,
            "<!doctype html><title>Sign in to your account</title>"
            "<h1>Portier wants to read your calendars</h1>"
            f'<p id="notice">{notice}</p><form method="get" action="approve">{hidden}'
            f'<label>Account <select id="account" name="account">{options}</select></label>'
            '<button id="approve" type="submit">Approve</button></form>',
        )

    def approve_page(self, query: dict):
        try:
            return Reply(302, b"", headers={"Location": self.approve_url_of(query)})
        except (ValueError, KeyError) as exc:
            return Reply(400, f"<p>{html.escape(str(exc))}</p>")

    def approve(self, authorize_url: str, account: str) -> str:
        query = dict(parse_qsl(urlsplit(authorize_url).query))
        return self.approve_url_of({**query, "account": account})

    def approve_url_of(self, query: dict) -> str:
        self._check_request(query)
        only = self._check_hint(query)
        account = query["account"].lower()
        if only and account != only:
            raise ValueError("this sandbox consent is for another account")
        if account not in self.sim.accounts:
            raise ValueError(f"no account {account}")
        code = secrets.token_urlsafe(24)
        with self.sim.lock:
            self.sim.codes[code] = {
                "account": account,
                "challenge": query["code_challenge"],
                "redirect_uri": query["redirect_uri"],
                "nonce": query.get("nonce", ""),
                "scope": query.get("scope", ""),
            }
        answer = {"code": code, "state": query.get("state", ""), "session_state": "s"}
        return f"{query['redirect_uri']}?{urlencode(answer)}"

    # -- token -----------------------------------------------------------------------------

    def token(self, form: dict, base: str):
        if form.get("client_id") != self.sim.client_id:
            return _error(400, "unauthorized_client", "AADSTS700016: unknown application")
        if form.get("client_secret") != self.sim.client_secret:
            return _error(401, "invalid_client", "AADSTS7000215: invalid client secret")
        grant = form.get("grant_type")
        nonce = ""
        if grant == "authorization_code":
            with self.sim.lock:
                pending = self.sim.codes.pop(form.get("code", ""), None)
            if pending is None or pending["redirect_uri"] != form.get("redirect_uri"):
                return _error(400, "invalid_grant", "AADSTS70008: the code is invalid")
            verifier = form.get("code_verifier", "")
            if _b64(hashlib.sha256(verifier.encode()).digest()) != pending["challenge"]:
                return _error(400, "invalid_grant", "AADSTS501481: code_verifier mismatch")
            account, nonce = pending["account"], pending["nonce"]
        elif grant == "refresh_token":
            account = self.sim.account_of_refresh_token(form.get("refresh_token", ""))
            if account is None:
                return _error(400, "invalid_grant", "AADSTS70000: the grant was revoked")
        else:
            return _error(400, "unsupported_grant_type", "unsupported grant type")
        access, refresh = self.sim.issue(account)
        user = self.sim.accounts[account]
        return Reply(
            200,
            {
                "token_type": "Bearer",
                "scope": "https://graph.microsoft.com/Calendars.Read "
                "https://graph.microsoft.com/User.Read",
                "expires_in": self.sim.access_token_seconds,
                "ext_expires_in": self.sim.access_token_seconds,
                "access_token": access,
                "refresh_token": refresh,
                "id_token": self._id_token(user, nonce),
                "client_info": _b64(
                    json.dumps({"uid": user.oid, "utid": self.sim.TENANT_ID}).encode()
                ),
            },
        )

    def _id_token(self, user, nonce: str) -> str:
        now = int(time.time())
        claims = {
            "iss": f"{self.sim.base_url}/{self.sim.TENANT_ID}/v2.0",
            "aud": self.sim.client_id,
            "iat": now,
            "nbf": now,
            "exp": now + 3600,
            "sub": user.oid,
            "oid": user.oid,
            "tid": self.sim.TENANT_ID,
            "preferred_username": user.email,
            "name": user.name,
            "ver": "2.0",
        }
        if nonce:
            claims["nonce"] = nonce
        header = {"alg": "none", "typ": "JWT"}
        return ".".join(
            [_b64(json.dumps(header).encode()), _b64(json.dumps(claims).encode()), "sig"]
        )
