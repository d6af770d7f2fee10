"""Saving the fake's state to a JSON file and loading it back, so a sandbox survives restarts.

Kept: accounts, calendars and events (with the change counter, so sync tokens stay ordered),
the sync-token issuer (tokens handed out before a restart stay readable), OAuth grants with
their refresh and access tokens, and push channels. Not kept: pending consent requests and
codes (a restart in the middle of a consent means clicking Connect again), the request log and
the record of deliveries. OAuth clients are registered by whoever constructs the fake.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import threading
from dataclasses import asdict
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from .channels import Channel
from .events import Event, When
from .oauth import AccessToken, Grant
from .records import Account, Calendar, Entry

if TYPE_CHECKING:
    from .fake import FakeGoogle

VERSION = 1
log = logging.getLogger(__name__)


def _when(value: When | None) -> dict | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return {"t": value.isoformat()}
    return {"d": value.isoformat()}


def _parse_when(value: dict | None) -> When | None:
    if value is None:
        return None
    if "t" in value:
        return datetime.fromisoformat(value["t"])
    return date.fromisoformat(value["d"])


def _event(event: Event) -> dict:
    return {
        "id": event.id,
        "calendar_id": event.calendar_id,
        "start": _when(event.start),
        "end": _when(event.end),
        "time_zone": event.time_zone,
        "created": event.created.isoformat(),
        "updated": event.updated.isoformat(),
        "changed": event.changed,
        "fields": event.fields,
        "recurrence": event.recurrence,
        "recurring_event_id": event.recurring_event_id,
        "original_start": _when(event.original_start),
        "status": event.status,
        "ical_uid": event.ical_uid,
        "sequence": event.sequence,
    }


def _parse_event(data: dict) -> Event:
    return Event(
        **{
            **data,
            "start": _parse_when(data["start"]),
            "end": _parse_when(data["end"]),
            "original_start": _parse_when(data["original_start"]),
            "created": datetime.fromisoformat(data["created"]),
            "updated": datetime.fromisoformat(data["updated"]),
        }
    )


def dump(fake: FakeGoogle) -> dict:
    """The state as JSON-ready data (taken under the fake's lock)."""
    with fake.lock:
        store, oauth = fake.store, fake.oauth
        grants: list[Grant] = []
        index: dict[int, int] = {}

        def grant_ref(grant: Grant) -> int:
            if id(grant) not in index:
                index[id(grant)] = len(grants)
                grants.append(grant)
            return index[id(grant)]

        refresh = {token: grant_ref(g) for token, g in oauth._refresh.items()}
        access = {
            token: {"grant": grant_ref(a.grant), "expires_at": a.expires_at.isoformat()}
            for token, a in oauth._access.items()
        }
        return {
            "version": VERSION,
            "counter": store.counter,
            "last": store._last.isoformat(),
            "issuer": fake.tokens.issuer,
            "accounts": [
                {
                    "email": a.email,
                    "name": a.name,
                    "time_zone": a.time_zone,
                    "entries": [asdict(e) for e in a.entries.values()],
                }
                for a in store.accounts.values()
            ],
            "calendars": [
                {
                    "id": c.id,
                    "summary": c.summary,
                    "time_zone": c.time_zone,
                    "owner": c.owner,
                    "description": c.description,
                    "epoch": c.epoch,
                    "updated": c.updated.isoformat(),
                    "resource_id": c.resource_id,
                    "events": [_event(e) for e in c.events.values()],
                }
                for c in store.calendars.values()
            ],
            "grants": [
                {
                    "account": g.account,
                    "client_id": g.client_id,
                    "scopes": list(g.scopes),
                    "revoked": g.revoked,
                }
                for g in grants
            ],
            "refresh_tokens": refresh,
            "access_tokens": access,
            "revoked_tokens": list(oauth.revoked_tokens),
            "channels": [
                {**asdict(ch), "expiration": ch.expiration.isoformat()}
                for ch in fake.channels.channels.values()
            ],
        }


def load(fake: FakeGoogle, data: dict) -> None:
    """Replace the fake's accounts, calendars, grants and channels with saved ones."""
    if data.get("version") != VERSION:
        raise ValueError(f"unknown state version {data.get('version')!r}")
    with fake.lock:
        store, oauth = fake.store, fake.oauth
        store.counter = data["counter"]
        store._last = datetime.fromisoformat(data["last"])
        fake.tokens.issuer = data["issuer"]
        store.accounts = {}
        for item in data["accounts"]:
            account = Account(item["email"], item["name"], item["time_zone"])
            account.entries = {e["calendar_id"]: Entry(**e) for e in item["entries"]}
            store.accounts[account.email] = account
        store.calendars = {}
        for item in data["calendars"]:
            events = {e["id"]: _parse_event(e) for e in item["events"]}
            calendar = Calendar(
                id=item["id"],
                summary=item["summary"],
                time_zone=item["time_zone"],
                owner=item["owner"],
                description=item["description"],
                epoch=item["epoch"],
                updated=datetime.fromisoformat(item["updated"]),
                events=events,
                resource_id=item["resource_id"],
            )
            store.calendars[calendar.id] = calendar
        grants = [
            Grant(g["account"], g["client_id"], tuple(g["scopes"]), g["revoked"])
            for g in data["grants"]
        ]
        oauth._refresh = {token: grants[i] for token, i in data["refresh_tokens"].items()}
        oauth._access = {
            token: AccessToken(grants[a["grant"]], datetime.fromisoformat(a["expires_at"]))
            for token, a in data["access_tokens"].items()
        }
        oauth.revoked_tokens = list(data["revoked_tokens"])
        fake.channels.channels = {
            ch["id"]: Channel(**{**ch, "expiration": datetime.fromisoformat(ch["expiration"])})
            for ch in data["channels"]
        }


def save_file(fake: FakeGoogle, path: Path) -> str:
    """Write the state atomically (temp file + rename, mode 0600); returns the JSON text."""
    text = json.dumps(dump(fake), sort_keys=True, indent=1)
    _write(path, text)
    return text


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w") as fh:
            fh.write(text)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def load_file(fake: FakeGoogle, path: Path) -> bool:
    """Load saved state if the file exists; False when there was none."""
    try:
        text = path.read_text()
    except FileNotFoundError:
        return False
    load(fake, json.loads(text))
    return True


class Autosave:
    """Writes the state to ``path`` whenever it changed, checking every ``interval`` seconds,
    and once more on ``stop()``."""

    def __init__(self, fake: FakeGoogle, path: Path, interval: float = 1.0):
        self.fake, self.path, self.interval = fake, path, interval
        self._last = ""
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> Autosave:
        self._last = json.dumps(dump(self.fake), sort_keys=True, indent=1)
        self._thread = threading.Thread(target=self._run, name="fake-google-save", daemon=True)
        self._thread.start()
        return self

    def save_if_changed(self) -> bool:
        text = json.dumps(dump(self.fake), sort_keys=True, indent=1)
        if text == self._last:
            return False
        _write(self.path, text)
        self._last = text
        return True

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.save_if_changed()
            except Exception:  # keep serving; the next round or stop() tries again
                log.exception("could not save the sandbox Google state to %s", self.path)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None
        self.save_if_changed()
