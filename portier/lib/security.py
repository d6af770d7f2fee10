"""Two small middlewares: trust forwarded headers only from configured proxies, and send one
Content-Security-Policy on every response.

Django 5.2 has no CSP of its own (it arrives in 6.0). Portier's policy is one fixed header
without nonces, so a dozen lines do instead of a dependency (django-csp).
"""

from ipaddress import ip_address, ip_network

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# No inline script anywhere: pages load their JavaScript from static files. Styles may be
# inline: pages carry style= attributes and e-mail HTML (inline styles are all that mail
# clients read) is shown in srcdoc frames, which inherit this policy. Images are ours or data:
# URIs (the QR code in e-mail previews). form-action is left open: connecting a calendar
# posts to Portier, which redirects the browser on to the provider's consent page.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'none'",
    ]
)


def parse_networks(name: str, values: list[str]) -> tuple:
    """Addresses and CIDR networks; a bad entry stops start-up naming the variable."""
    networks = []
    for value in values:
        try:
            networks.append(ip_network(value, strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"{name} must list IP addresses or networks such as 10.0.0.0/8 (got {value!r})"
            ) from None
    return tuple(networks)


def _address(text: str):
    try:
        return ip_address(text.strip().strip("[]"))
    except ValueError:
        return None


def _trusted(address, networks) -> bool:
    return address is not None and any(address in network for network in networks)


class TrustedProxyMiddleware:
    """Behind a reverse proxy, every request comes from the proxy. Only when REMOTE_ADDR is one
    of PORTIER_TRUSTED_PROXIES does Portier believe what the proxy says: the scheme
    (X-Forwarded-Proto) and the client's address (X-Forwarded-For, read from the right,
    skipping trusted proxies). From anyone else the headers are ignored, so a client cannot
    claim https or another address. Put it first: SecurityMiddleware reads the scheme."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        networks = settings.PORTIER_TRUSTED_PROXIES
        meta = request.META
        if networks and _trusted(_address(meta.get("REMOTE_ADDR", "")), networks):
            proto = meta.get("HTTP_X_FORWARDED_PROTO", "").split(",")[-1].strip().lower()
            if proto in ("http", "https"):
                meta["wsgi.url_scheme"] = proto
            client = self._client(meta.get("HTTP_X_FORWARDED_FOR", ""), networks)
            if client is not None:
                meta["REMOTE_ADDR"] = str(client)
        return self.get_response(request)

    @staticmethod
    def _client(header: str, networks):
        hops = [_address(part) for part in header.split(",") if part.strip()]
        client = None
        for hop in reversed(hops):
            if hop is None:
                break  # garbage: trust nothing to the left of it
            client = hop
            if not _trusted(hop, networks):
                break
        return client


class ContentSecurityPolicyMiddleware:
    """The same policy on every response, http or https; a view may set its own."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response
