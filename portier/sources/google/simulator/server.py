"""The fake's HTTP side: routes each request to OAuth, the Calendar API or push channels."""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import socket
import sys
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, quote, unquote, unquote_plus, urlsplit

from . import calendar_list, control, sync
from .errors import API_PREFIX, ApiError
from .oauth import ConsentError, TokenError, consent_page, error_page, offered_accounts

if TYPE_CHECKING:
    from .fake import FakeGoogle

AUTH_PATH = "/o/oauth2/auth"
APPROVAL_PATH = "/o/oauth2/approval"
TOKEN_PATH = "/token"
REVOKE_PATH = "/revoke"

_AUTH = "https://www.googleapis.com/auth/"
_READ_EVENTS = (
    "calendar",
    "calendar.app.created",
    "calendar.events",
    "calendar.events.freebusy",
    "calendar.events.owned",
    "calendar.events.owned.readonly",
    "calendar.events.public.readonly",
    "calendar.events.readonly",
    "calendar.readonly",
)
_LIST = ("calendar", "calendar.calendarlist", "calendar.calendarlist.readonly", "calendar.readonly")
# (method, path pattern, name, scopes any of which allows the call), from the discovery doc.
ROUTES = (
    ("GET", ("users", "me", "calendarList"), "calendarList.list", _LIST),
    ("GET", ("users", "me", "calendarList", "*"), "calendarList.get", _LIST),
    (
        "GET",
        ("calendars", "*"),
        "calendars.get",
        ("calendar", "calendar.calendars", "calendar.calendars.readonly", "calendar.readonly"),
    ),
    ("GET", ("calendars", "*", "events"), "events.list", _READ_EVENTS),
    ("POST", ("calendars", "*", "events", "watch"), "events.watch", _READ_EVENTS),
    ("GET", ("calendars", "*", "events", "*"), "events.get", _READ_EVENTS),
    ("GET", ("calendars", "*", "events", "*", "instances"), "events.instances", _READ_EVENTS),
    ("POST", ("channels", "stop"), "channels.stop", (*_READ_EVENTS, *_LIST)),
)


def _route(method: str, segments: list[str]) -> tuple[str, tuple[str, ...], list[str]]:
    other_method = False
    for route_method, pattern, name, scopes in ROUTES:
        if len(pattern) == len(segments) and all(
            p in ("*", s) for p, s in zip(pattern, segments, strict=True)
        ):
            if route_method == method:
                args = [s for p, s in zip(pattern, segments, strict=True) if p == "*"]
                return name, tuple(_AUTH + scope for scope in scopes), args
            other_method = True
    if other_method:
        raise ApiError(405, "notImplemented", "This method is not implemented by the fake.")
    raise ApiError(404)


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], fake: FakeGoogle):
        self.fake = fake
        self.connections: set[socket.socket] = set()
        super().__init__(address, Handler)

    def close_connections(self) -> None:
        """Unblock handler threads waiting on idle keep-alive connections."""
        for connection in list(self.connections):
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "ESF"
    sys_version = ""
    server: Server

    def setup(self):
        super().setup()
        self.server.connections.add(self.connection)

    def finish(self):
        try:
            super().finish()
        finally:
            self.server.connections.discard(self.connection)

    def log_message(self, format, *args):
        pass

    def do_GET(self):
        self._handle()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_GET

    # -- responses --------------------------------------------------------------------------

    def _send(self, status: int, body: bytes, content_type: str, headers=()) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, status: int, payload, headers=()) -> None:
        body = json.dumps(payload, indent=2).encode() if payload is not None else b""
        if status == 204:
            self.send_response(204)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self._send(status, body, "application/json; charset=UTF-8", headers)

    def _html(self, status: int, page: str) -> None:
        self._send(status, page.encode(), "text/html; charset=utf-8")

    def _redirect(self, location: str) -> None:
        self._send(302, b"", "text/html; charset=utf-8", [("Location", location)])

    # -- dispatch ---------------------------------------------------------------------------

    def _handle(self) -> None:
        fake = self.server.fake
        url = urlsplit(self.path)
        path, query = url.path, parse_qs(url.query, keep_blank_values=True)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if not path.startswith(control.CONTROL_PREFIX):
            fake._log_request(self.command, path, query)
        if fake.latency:
            time.sleep(fake.latency)
        delay = fake.faults.take_delay(path)
        if delay is not None:
            delay.wait()
        fault = fake.faults.take(path)
        if fault is not None and fault.status == 0:
            # A timeout as the client meets it: no answer, then the connection is gone.
            fake.faults.wait_hung(fault.hang)
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        if fault is not None:
            self._json(fault.status, fault.error_body(path))
            return
        try:
            if path == AUTH_PATH:
                self._consent(query)
            elif path == APPROVAL_PATH and self.command == "POST":
                self._approval(_form(raw))
            elif path == TOKEN_PATH and self.command == "POST":
                self._token(_form(raw))
            elif path == REVOKE_PATH and self.command in ("GET", "POST"):
                self._revoke({**_single(query), **_form(raw)})
            elif path.startswith(API_PREFIX):
                self._api(path[len(API_PREFIX) :], query, raw)
            elif path.startswith(control.CONTROL_PREFIX) and fake.control_token:
                auth = self.headers.get("Authorization")
                self._json(*control.handle(fake, self.command, path, auth, raw))
            else:
                self._json(404, ApiError(404).body())
        except ApiError as error:
            self._json(error.status, error.body())
        except Exception as exc:  # a bug in the fake: say so loudly, in Google's shape
            traceback.print_exc(file=sys.stderr)
            self._json(500, ApiError(500, "backendError", f"fake crashed: {exc!r}").body())

    def _consent(self, query) -> None:
        fake = self.server.fake
        try:
            request = fake.oauth.authorization_request(_single(query))
            accounts = offered_accounts(request, fake._account_names())
            if not accounts:
                raise ConsentError(400, "invalid_request", "The fake has no such account yet.")
        except ConsentError as error:
            self._html(error.status, error_page(error))
            return
        action = fake.base_url + APPROVAL_PATH
        self._html(200, consent_page(request, accounts, action, notice=fake.consent_notice))

    def _approval(self, form: dict[str, str]) -> None:
        fake = self.server.fake
        approve = form.get("decision") == "approve"
        account = form.get("account")
        try:
            if approve and account not in fake._account_names():
                raise ConsentError(400, "invalid_request", f"Unknown account {account!r}.")
            location = fake.oauth.decide(form.get("request_id", ""), account, approve)
        except ConsentError as error:
            self._html(error.status, error_page(error))
            return
        self._redirect(location)

    def _token(self, form: dict[str, str]) -> None:
        no_store = [("Cache-Control", "no-cache, no-store, max-age=0, must-revalidate")]
        try:
            body = self.server.fake.oauth.token(form, _basic_auth(self.headers))
        except TokenError as error:
            self._json(error.status, error.body, no_store)
            return
        self._json(200, body, no_store)

    def _revoke(self, form: dict[str, str]) -> None:
        try:
            self.server.fake.oauth.revoke(form.get("token", ""))
        except TokenError as error:
            self._json(error.status, error.body)
            return
        self._json(200, {})

    def _api(self, rest: str, query, raw: bytes) -> None:
        fake = self.server.fake
        segments = [unquote(segment) for segment in rest.split("/")]
        name, scopes, args = _route(self.command, segments)
        grant = fake.oauth.check(self.headers.get("Authorization"))
        if not set(scopes) & set(grant.scopes):
            raise ApiError(403, "insufficientPermissions")
        email, store, tokens = grant.account, fake.store, fake.tokens
        if name == "calendarList.list":
            self._json(200, calendar_list.list_calendar_list(store, tokens, email, query))
        elif name == "calendarList.get":
            self._json(200, calendar_list.get_calendar_list_entry(store, email, args[0]))
        elif name == "calendars.get":
            self._json(200, calendar_list.get_calendar(store, email, args[0]))
        elif name == "events.list":
            self._json(200, sync.list_events(store, tokens, email, args[0], query))
        elif name == "events.get":
            self._json(200, sync.get_event(store, email, args[0], args[1], query))
        elif name == "events.instances":
            self._json(200, sync.list_instances(store, tokens, email, args[0], args[1], query))
        elif name == "events.watch":
            calendar, _entry = store.calendar_for(email, args[0])
            uri = f"{fake.api_url}calendars/{quote(args[0], safe='')}/events?alt=json"
            channel = fake.channels.watch(
                email, calendar.id, calendar.resource_id, uri, _json_body(raw)
            )
            self._json(200, channel)
        elif name == "channels.stop":
            fake.channels.stop(email, _json_body(raw))
            self._json(204, None)


def _single(query: dict[str, list[str]]) -> dict[str, str]:
    return {name: values[-1] for name, values in query.items()}


def _form(raw: bytes) -> dict[str, str]:
    return _single(parse_qs(raw.decode("utf-8", "replace"), keep_blank_values=True))


def _json_body(raw: bytes) -> dict:
    try:
        body = json.loads(raw or b"{}")
    except ValueError:
        raise ApiError(400, "parseError", "Parse Error") from None
    if not isinstance(body, dict):
        raise ApiError(400, "parseError", "Parse Error")
    return body


def _basic_auth(headers) -> tuple[str, str] | None:
    scheme, _, value = (headers.get("Authorization") or "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(value.strip()).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None
    client_id, _, secret = decoded.partition(":")
    return unquote_plus(client_id), unquote_plus(secret)
