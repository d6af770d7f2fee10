"""The simulator's HTTPS server: identity under /<tenant>/, Graph under /v1.0/."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlencode, urlsplit

import requests

from portier.sources.microsoft.simulator import control
from portier.sources.microsoft.simulator.graph import Graph
from portier.sources.microsoft.simulator.identity import Identity
from portier.sources.microsoft.simulator.reply import Reply

if TYPE_CHECKING:
    from portier.sources.microsoft.simulator.fake import FakeMicrosoft


class Handler(BaseHTTPRequestHandler):
    server: _HTTPServer

    def log_message(self, format, *args):  # noqa: A002 - quiet in tests
        pass

    def _handle(self, method: str) -> None:
        parts = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        request = {
            "method": method,
            "path": parts.path,
            "query": dict(parse_qsl(parts.query, keep_blank_values=True)),
            "headers": {k.lower(): v for k, v in self.headers.items()},
            "body": body,
        }
        sim = self.server.sim
        try:
            if parts.path.startswith(control.PREFIX):
                reply = control.handle(sim, request)
            elif parts.path.startswith("/v1.0/"):
                reply = sim.server.graph.handle(request)
            else:
                reply = sim.server.identity.handle(request)
        except Exception as exc:  # noqa: BLE001 - a simulator bug answers 500, as a server would
            reply = Reply(500, {"error": {"code": "InternalServerError", "message": str(exc)}})
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        self.wfile.write(reply.body)

    def do_GET(self):  # noqa: N802
        self._handle("GET")

    def do_POST(self):  # noqa: N802
        self._handle("POST")

    def do_PATCH(self):  # noqa: N802
        self._handle("PATCH")

    def do_DELETE(self):  # noqa: N802
        self._handle("DELETE")


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    sim: FakeMicrosoft


class Server:
    """Two listeners on loopback: HTTPS for msal and Graph (msal insists on https), plain HTTP
    for the browser (the consent page, which a browser would not trust over our own CA) and
    the sandbox's control API."""

    def __init__(self, sim: FakeMicrosoft, host: str = "127.0.0.1", web_port: int = 0) -> None:
        self.sim = sim
        self.host, self.web_port = host, web_port
        self.identity = Identity(sim)
        self.graph = Graph(sim)
        self.httpd: _HTTPServer | None = None
        self.web: _HTTPServer | None = None

    @property
    def base_url(self) -> str:
        assert self.httpd is not None, "start() the simulator first"
        return f"https://127.0.0.1:{self.httpd.server_address[1]}"

    @property
    def web_url(self) -> str:
        assert self.web is not None, "start() the simulator first"
        return f"http://127.0.0.1:{self.web.server_address[1]}"

    def _listen(self, port: int) -> _HTTPServer:
        httpd = _HTTPServer((self.host, port), Handler)
        httpd.sim = self.sim
        return httpd

    def start(self) -> None:
        self.web = self._listen(self.web_port)
        self.httpd = self._listen(0)
        context = self.sim.certificates.server_context()
        self.httpd.socket = context.wrap_socket(self.httpd.socket, server_side=True)
        for httpd in (self.httpd, self.web):
            threading.Thread(target=httpd.serve_forever, daemon=True).start()

    def stop(self) -> None:
        for httpd in (self.httpd, self.web):
            if httpd is not None:
                httpd.shutdown()
                httpd.server_close()

    @staticmethod
    def post(url: str, *, body: bytes, query: dict[str, str] | None = None) -> tuple[int, str]:
        """Deliver a notification (or a validation) to Portier: status and text."""
        target = url + ("&" if "?" in url else "?") + urlencode(query) if query else url
        try:
            response = requests.post(
                target,
                data=body,
                headers={"Content-Type": "application/json" if body else "text/plain"},
                timeout=10,
            )
        except requests.RequestException:
            return 0, ""
        return response.status_code, response.text
