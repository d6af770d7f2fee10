"""A source's push notifications, answered before the session, language, CSRF, login and
message middleware, none of which a provider's POST uses.

Busy calendars are pushed hundreds of times a second; each notification only marks its calendar
due (request_sync). So the answer reads five columns of one row (with SQL the ORM built once),
compares the channel token's HMAC (Calendar.channel_token_hmac) instead of decrypting the
token, and makes no session, no language and no CSRF token. `PushMiddleware` sits right after
Django's SecurityMiddleware: the forwarded scheme, the https redirect and the security headers
are the same as for every other address; the host is checked as CommonMiddleware checks it.
Anything else (another method, an unknown source, one without push) goes on through the full
stack to the view, which answers as it always did.
"""

import hmac
import logging
from functools import lru_cache

from django.db import connections, router
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils import timezone

from portier.integrations.models import Calendar, Status, channel_token_digest
from portier.sources import registry
from portier.sources.base import Capability, PushNotice, Source
from portier.sync.tasks import request_sync

log = logging.getLogger(__name__)

SUFFIX = "/notifications/"


def push_source(slug: str) -> Source | None:
    """The registered source that takes pushes at this slug, else None (a 404)."""
    if not registry.is_registered(slug):
        return None
    source = registry.get(slug)
    if source.parse_notification is None or not source.supports(Capability.PUSH):
        return None
    return source


def answer(request, source: Source) -> HttpResponse:
    """Check each notice's channel, mark its calendar due, answer at once.

    Never calls the provider. Unknown, stopped or forged channels change nothing and get the
    same answer (an error status would only make the provider retry). A notice that says the
    channel was dropped marks it for replacement (the renewal sweep opens a new one).
    """
    if source.answer_handshake is not None:
        echo = source.answer_handshake(request.GET)
        if echo is not None:
            return HttpResponse(echo, content_type="text/plain; charset=utf-8")
    assert source.parse_notification is not None  # push_source() chose it
    parsed = source.parse_notification(request.headers, request.body)
    notices = parsed if isinstance(parsed, list) else [parsed] if parsed else []
    if not notices:
        log.info("ignored a %s notification without a channel", source.slug)
    for notice in notices:
        accept(source.slug, notice)
    return HttpResponse(status=source.notification_status)


def accept(slug: str, notice: PushNotice) -> None:
    row = _calendar_row(slug, notice.channel_id)
    if row is None or not _channel_matches(row, notice):
        log.info("ignored a %s notification for unknown channel %r", slug, notice.channel_id[:64])
        return
    pk, _digest, _resource, selected, status = row
    if notice.renew:
        Calendar.objects.filter(pk=pk).update(channel_expires_at=timezone.now())
    if notice.changed and selected and status != Status.DISCONNECTED:
        request_sync(pk, pushed=True)


COLUMNS = ("pk", "channel_token_hmac", "channel_resource_id", "selected", "connection__status")
_CHANNEL, _SLUG = "\x00channel", "\x00slug"  # stand-ins for the values when compiling


@lru_cache(maxsize=8)
def _compiled(alias: str, vendor: str) -> tuple[str, tuple[int, ...]]:
    """The SQL of a channel's calendar row, built by the ORM once per database instead of on
    every push (building it took a third of a push's time), and where the channel id and the
    slug go among its parameters."""
    query = (
        Calendar.objects.filter(channel_id=_CHANNEL, connection__provider=_SLUG)
        .values_list(*COLUMNS)[:1]  # in Meta.ordering's order, as .first() takes it
        .query
    )
    sql, params = query.get_compiler(alias).as_sql()
    places = {_CHANNEL: 0, _SLUG: 1}
    assert sorted(params) == sorted(places), params
    return sql, tuple(places[param] for param in params)


def _calendar_row(slug: str, channel_id: str) -> tuple | None:
    """(pk, digest, resource id, selected, connection status) of the channel's calendar."""
    alias = router.db_for_read(Calendar)
    sql, order = _compiled(alias, connections[alias].vendor)
    values = (channel_id, slug)
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, [values[i] for i in order])
        row = cursor.fetchone()
    if row is None:
        return None
    pk, digest, resource, selected, status = row
    return pk, digest, resource, bool(selected), status  # SQLite gives 0/1


def _channel_matches(row, notice: PushNotice) -> bool:
    pk, digest, stored_resource, _selected, _status = row
    if not _token_matches(pk, digest, notice.token):
        return False
    # The resource id is stored when watch() returns; the first message may come before.
    return not stored_resource or hmac.compare_digest(
        notice.resource_id.encode(), stored_resource.encode()
    )


def _token_matches(pk: int, digest: str, token: str) -> bool:
    if digest and hmac.compare_digest(digest, channel_token_digest(token)):
        return True
    # No digest (an empty token), a wrong token, or SECRET_KEY changed since the digest was
    # made: the stored token decides, as it did before there were digests.
    stored = Calendar.objects.filter(pk=pk).values_list("channel_token", flat=True).first() or ""
    # Bytes: compare_digest refuses str with non-ASCII characters (a TypeError, a 500).
    if not hmac.compare_digest(token.encode(), stored.encode()):
        return False
    if stored:  # a stale digest: the next push of this channel takes the short way again
        Calendar.objects.filter(pk=pk, channel_token_hmac=digest).update(
            channel_token_hmac=channel_token_digest(stored)
        )
    return True


@lru_cache(maxsize=64)
def _push_slug(path: str) -> str | None:
    """The slug when the URLconf routes this path to the notifications view."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.kwargs.get("slug") if match.view_name == "integrations:notifications" else None


class PushMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if request.method == "POST" and path.endswith(SUFFIX):
            slug = _push_slug(path)
            source = push_source(slug) if slug else None
            if source is not None:
                request.get_host()  # ALLOWED_HOSTS: a 400 as CommonMiddleware would give
                return answer(request, source)
        return self.get_response(request)
