"""/healthz, /readyz and /metrics, answered before every other middleware.

Load balancers and Prometheus reach a web process by its address, often over plain http inside
the network: these three answers depend on neither the Host header (ALLOWED_HOSTS), the https
redirect, sessions nor the language. None of them builds a URL or reads a cookie.
"""

import logging
import secrets

from django.conf import settings
from django.db import connections
from django.http import HttpResponse
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

from portier.metrics.collector import PortierCollector

log = logging.getLogger(__name__)

REGISTRY = CollectorRegistry(auto_describe=False)
REGISTRY.register(PortierCollector())


def healthz(request) -> HttpResponse:
    """The process is up and answers; touches nothing else (a restart would not help that)."""
    return HttpResponse("ok\n", content_type="text/plain")


def database_reachable(connection=None) -> bool:
    connection = connection or connections["default"]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return True
    except Exception as exc:  # any driver's error: the answer is "not ready", with the reason
        log.warning("readyz: database unreachable: %s", exc)
        connection.close_if_unusable_or_obsolete()
        return False


def queue_reachable(huey=None) -> bool:
    if huey is None:
        from huey.contrib.djhuey import HUEY as huey
    try:
        huey.pending_count()  # a count on the queue's table or list: a real round trip
        return True
    except Exception as exc:
        log.warning("readyz: queue unreachable: %s", exc)
        return False


def readyz(request) -> HttpResponse:
    """Database and queue answer: 200, else 503 (take this process out of rotation)."""
    checks = {"database": database_reachable(), "queue": queue_reachable()}
    body = "".join(f"{name} {'ok' if ok else 'unreachable'}\n" for name, ok in checks.items())
    return HttpResponse(
        body, status=200 if all(checks.values()) else 503, content_type="text/plain"
    )


def metrics(request) -> HttpResponse:
    """Prometheus text format, for `Authorization: Bearer PORTIER_METRICS_TOKEN` only."""
    token = settings.PORTIER_METRICS_TOKEN
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    # Off, or the wrong token: the same 404, so nobody learns whether metrics are on.
    if not token or not secrets.compare_digest(given.encode(), token.encode()):
        return HttpResponse("Not Found\n", status=404, content_type="text/plain")
    return HttpResponse(generate_latest(REGISTRY), content_type=CONTENT_TYPE_LATEST)


ROUTES = {"/healthz": healthz, "/readyz": readyz, "/metrics": metrics}


class ProbesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        view = ROUTES.get(request.path_info)
        if view is None or request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        response = view(request)
        response["Cache-Control"] = "no-store"
        return response
