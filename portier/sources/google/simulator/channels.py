"""Push notification channels (``events.watch`` / ``channels.stop``) and their delivery.

Modelled on https://developers.google.com/workspace/calendar/api/guides/push: a ``sync``
message (message number 1) right after the channel is made, then an ``exists`` message with
a larger number on every change of the watched calendar. Messages have no body. A single
background thread delivers them in order, so the watch response is never held up and a
receiver that is down only costs a recorded failure.
"""

from __future__ import annotations

import http.client
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import format_datetime
from urllib.parse import urlsplit

from .errors import ApiError, invalid_parameter

DEFAULT_TTL = 604_800  # seconds; the documented default of params.ttl
USER_AGENT = "APIs-Google; (+https://developers.google.com/webmasters/APIs-Google.html)"


@dataclass
class Channel:
    id: str
    resource_id: str
    resource_uri: str
    calendar_id: str
    account: str
    address: str
    token: str | None
    expiration: datetime
    message_number: int = 1
    stopped: bool = False

    @property
    def expiration_ms(self) -> int:
        return int(self.expiration.timestamp() * 1000)


@dataclass(frozen=True)
class Notification:
    """One delivery attempt, as recorded in ``FakeGoogle.notifications_sent``."""

    channel_id: str
    resource_id: str
    resource_state: str
    message_number: int
    address: str
    headers: dict
    status: int | None  # HTTP status of the receiver's answer; None if unreachable
    error: str | None = None


class Channels:
    def __init__(self, lock: threading.RLock, clock: Callable[[], datetime]):
        self._lock = lock
        self._clock = clock
        self.channels: dict[str, Channel] = {}
        self.sent: list[Notification] = []
        self.delivery_timeout = 5.0
        self._queue: queue.Queue = queue.Queue()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._deliver_forever, daemon=True)
        self._thread.name = "fake-google-push"
        self._thread.start()

    def close(self) -> None:
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join(timeout=10)
            self._thread = None

    def wait_idle(self, timeout: float = 5.0) -> None:
        """Block until every queued message has been delivered (or failed)."""
        done = threading.Event()
        self._queue.put(done)
        if not done.wait(timeout):
            raise TimeoutError("push deliveries still pending")

    # -- API --------------------------------------------------------------------------------

    def watch(
        self, account: str, calendar_id: str, resource_id: str, resource_uri: str, body: dict
    ) -> dict:
        channel_id = body.get("id") or ""
        if not channel_id or len(channel_id) > 64:
            raise invalid_parameter("id", "Channel id must be 1 to 64 characters.")
        if body.get("type") not in ("web_hook", "webhook"):
            raise invalid_parameter("type", "Unknown channel type.")
        if not body.get("address"):
            raise ApiError(400, "required", "WebHook callback must be specified.")
        token = body.get("token")
        if token is not None and len(token) > 256:
            raise invalid_parameter("token")
        try:
            ttl = int((body.get("params") or {}).get("ttl", DEFAULT_TTL))
        except ValueError:
            raise invalid_parameter("params.ttl") from None
        now = self._clock()
        expiration = now + timedelta(seconds=ttl)
        if body.get("expiration"):
            requested = datetime.fromtimestamp(int(body["expiration"]) / 1000, now.tzinfo)
            expiration = min(expiration, requested)  # "the more restrictive value is used"
        with self._lock:
            if channel_id in self.channels:
                raise ApiError(400, "channelIdNotUnique", "Channel id not unique")
            channel = Channel(
                channel_id,
                resource_id,
                resource_uri,
                calendar_id,
                account,
                body["address"],
                token,
                expiration,
            )
            self.channels[channel_id] = channel
            self._enqueue(channel, "sync")
        answer = {
            "kind": "api#channel",
            "id": channel.id,
            "resourceId": channel.resource_id,
            "resourceUri": channel.resource_uri,
            "expiration": str(channel.expiration_ms),
        }
        if token is not None:
            answer["token"] = token
        return answer

    def stop(self, account: str, body: dict) -> None:
        with self._lock:
            channel = self.channels.get(body.get("id") or "")
            if (
                channel is None
                or channel.stopped
                or channel.account != account
                or channel.resource_id != body.get("resourceId")
            ):
                raise ApiError(404, "notFound", f"Channel '{body.get('id')}' not found")
            channel.stopped = True

    def changed(self, calendar_id: str) -> None:
        """A store listener: queue an ``exists`` message for each live channel."""
        with self._lock:
            now = self._clock()
            for channel in self.channels.values():
                live = not channel.stopped and now < channel.expiration
                if channel.calendar_id == calendar_id and live:
                    channel.message_number += 1
                    self._enqueue(channel, "exists")

    # -- delivery ---------------------------------------------------------------------------

    def _enqueue(self, channel: Channel, state: str) -> None:
        headers = {
            "X-Goog-Channel-ID": channel.id,
            "X-Goog-Channel-Expiration": format_datetime(channel.expiration, usegmt=True),
            "X-Goog-Resource-ID": channel.resource_id,
            "X-Goog-Resource-URI": channel.resource_uri,
            "X-Goog-Resource-State": state,
            "X-Goog-Message-Number": str(channel.message_number),
        }
        if channel.token is not None:
            headers["X-Goog-Channel-Token"] = channel.token
        self._queue.put((channel, state, headers))

    def _deliver_forever(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            if isinstance(item, threading.Event):
                item.set()
                continue
            channel, state, headers = item
            self._deliver(channel, state, headers)

    def _deliver(self, channel: Channel, state: str, headers: dict) -> None:
        # http.client rather than urllib: header names go out exactly as Google writes them,
        # and no proxy from the environment gets between the fake and a loopback receiver.
        url = urlsplit(channel.address)
        connection_class = (
            http.client.HTTPSConnection if url.scheme == "https" else http.client.HTTPConnection
        )
        path = (url.path or "/") + (f"?{url.query}" if url.query else "")
        status, error = None, None
        connection = connection_class(url.netloc, timeout=self.delivery_timeout)
        try:
            connection.request(
                "POST",
                path,
                body=b"",
                headers={**headers, "User-Agent": USER_AGENT, "Content-Type": "text/plain"},
            )
            response = connection.getresponse()
            response.read()
            status = response.status
            if not 200 <= status < 300 and status != 102:
                error = f"HTTP {status} {response.reason}"
        except (OSError, http.client.HTTPException) as exc:
            error = f"{type(exc).__name__}: {exc}"
        finally:
            connection.close()
        with self._lock:
            self.sent.append(
                Notification(
                    channel.id,
                    channel.resource_id,
                    state,
                    int(headers["X-Goog-Message-Number"]),
                    channel.address,
                    headers,
                    status,
                    error,
                )
            )
