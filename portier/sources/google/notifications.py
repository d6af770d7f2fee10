"""Google's push messages: a POST with X-Goog-* headers and no body worth reading."""

from collections.abc import Mapping

from portier.sources.base import PushNotice


def parse_notification(headers: Mapping[str, str], body: bytes) -> PushNotice | None:
    channel_id = headers.get("X-Goog-Channel-ID", "")
    if not channel_id:
        return None
    return PushNotice(
        channel_id=channel_id,
        token=headers.get("X-Goog-Channel-Token", ""),
        resource_id=headers.get("X-Goog-Resource-ID", ""),
        # "sync" is the handshake after watch(); "exists" means something changed.
        changed=headers.get("X-Goog-Resource-State", "") == "exists",
    )
