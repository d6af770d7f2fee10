"""Graph's change and lifecycle notifications (one POST may carry several) and the
subscription validation handshake."""

import json
from collections.abc import Mapping

from portier.sources.base import PushNotice

# The subscription must be made anew (reauthorize, or it is gone): the engine replaces it.
RENEW = {"reauthorizationRequired", "subscriptionRemoved"}


def answer_handshake(query: Mapping[str, str]) -> str | None:
    """Graph validates a notification URL with ?validationToken=…: echo it, URL-decoded (the
    query is), as text/plain."""
    return query.get("validationToken")


def parse_notification(headers: Mapping[str, str], body: bytes) -> list[PushNotice]:
    try:
        items = json.loads(body or b"{}").get("value") or []
    except (ValueError, AttributeError):
        return []
    notices = []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        # clientState is "<our channel id>.<its secret>" (client.watch).
        channel_id, _, token = str(item.get("clientState") or "").partition(".")
        if not channel_id or not token:
            continue
        lifecycle = str(item.get("lifecycleEvent") or "")
        notices.append(
            PushNotice(
                channel_id=channel_id,
                token=token,
                resource_id=str(item.get("subscriptionId") or ""),
                # "missed" and every change ask for a sync (the delta finds what changed).
                changed=True,
                renew=lifecycle in RENEW,
            )
        )
    return notices
