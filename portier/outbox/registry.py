"""Which e-mail a row becomes: one planner per kind, registered by the app that owns the kind.

A planner is `plan(row) -> Message | Skip`, called at send time with fresh data (the shape of
healthchecks' transports): a `Message` says what to send and what to record once it is sent; a
`Skip` says why the row is no longer worth sending (stored on the row). Apps register their kinds
in `AppConfig.ready()`, so the outbox never imports them.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Message:
    """What to send. `to`, `reply_to`: addresses (with display names); `inline_images`:
    (Content-ID, PNG) pairs the HTML shows as cid: (a list, even empty, puts the HTML in a
    multipart/related part; None: a plain alternative); `attachments`: MIME parts or
    (filename, content, mimetype). The outbox adds the row's Message-ID and sends it."""

    to: list[str]
    subject: str
    text: str
    html: str = ""
    reply_to: list[str] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    inline_images: list[tuple[str, bytes]] | None = None
    attachments: list = field(default_factory=list)
    # Recorded on the row once sent:
    kind: str | None = None  # the row becomes this kind (a folded series end)
    sent_version: int | None = None
    data: dict = field(default_factory=dict)  # merged into the row's data
    folds: list[int] = field(default_factory=list)  # queued rows this e-mail covers: skipped


@dataclass(frozen=True)
class Skip:
    reason: str


Planner = Callable[..., Message | Skip]
_planners: dict[str, Planner] = {}
_labels: dict[str, str] = {}


def register(kind: str, planner: Planner, *, label=None) -> None:
    """Make `planner` the one that plans rows of `kind`; `label`: what a person reads for the
    kind (translatable). Registering the same planner again is harmless."""
    if len(kind) > 20:
        raise ValueError(f"outbox kind {kind!r} is longer than the column (20)")
    if _planners.get(kind, planner) is not planner:
        raise ValueError(f"outbox kind {kind!r} already has a planner")
    _planners[kind] = planner
    _labels[kind] = label or kind


def label(kind: str) -> str:
    return _labels.get(kind, kind)


def kinds() -> frozenset[str]:
    return frozenset(_planners)


def plan(row) -> Message | Skip:
    planner = _planners.get(row.kind)
    if planner is None:
        return Skip(f"no planner registered for kind {row.kind}")
    return planner(row)
