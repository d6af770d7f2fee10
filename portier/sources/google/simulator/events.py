"""One stored event, how Google renders it, and how a recurring series expands.

Field shapes follow the Events resource
(https://developers.google.com/calendar/api/v3/reference/events) and the captures in
``/work/shared/testdata/google-calendar-api/``.
"""

from __future__ import annotations

import base64
import copy
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr

BASE32HEX = "0123456789abcdefghijklmnopqrstuv"
UTC_NAMES = {"UTC", "Etc/UTC", "GMT", "Etc/GMT"}
MAX_INSTANCES = 5000  # per series and request, so an endless rule stays finite

When = datetime | date


def new_event_id() -> str:
    """Google event ids use base32hex characters (lowercase a-v and 0-9)."""
    return "".join(secrets.choice(BASE32HEX) for _ in range(26))


def rfc3339_ms(moment: datetime) -> str:
    """``2018-03-30T22:28:48.203Z``: how Google writes ``created`` and ``updated``."""
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def parse_rfc3339(value: str) -> datetime:
    """An RFC 3339 timestamp with a mandatory offset; ValueError otherwise."""
    moment = datetime.fromisoformat(value.strip().replace("z", "Z"))
    if moment.tzinfo is None:
        raise ValueError(f"no time zone offset in {value!r}")
    return moment


def is_all_day(when: When) -> bool:
    return not isinstance(when, datetime)


def to_utc(when: When, tz: str) -> datetime:
    """An instant for comparisons; an all-day date starts at midnight in ``tz``."""
    if is_all_day(when):
        return datetime.combine(when, time(), ZoneInfo(tz)).astimezone(UTC)
    return when.astimezone(UTC)


def render_when(when: When, event_tz: str | None, output_tz: str) -> dict:
    """``{"date": ...}`` or ``{"dateTime": ..., "timeZone": ...}`` as Google sends it."""
    if is_all_day(when):
        return {"date": when.isoformat()}
    local = when.astimezone(ZoneInfo(output_tz))
    text = local.isoformat(timespec="seconds")
    if output_tz in UTC_NAMES:
        text = text.replace("+00:00", "Z")
    result = {"dateTime": text}
    if event_tz:
        result["timeZone"] = event_tz
    return result


def instance_suffix(original_start: When) -> str:
    """``20250107T090000Z`` for timed series, ``20250107`` for all-day ones."""
    if is_all_day(original_start):
        return original_start.strftime("%Y%m%d")
    return original_start.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


@dataclass
class Event:
    """A single event, a recurring series (``recurrence``) or an exception of one."""

    id: str
    calendar_id: str
    start: When
    end: When
    time_zone: str | None
    created: datetime
    updated: datetime
    changed: int  # the store's change counter at the last modification
    fields: dict = field(default_factory=dict)  # summary, attendees, organizer, ... as sent
    recurrence: list[str] | None = None
    recurring_event_id: str | None = None
    original_start: When | None = None
    status: str = "confirmed"
    ical_uid: str = ""
    sequence: int = 0
    # JSON fields served as given, over what the event would say: data a buggy client, a proxy
    # or a later API version could hand a reader (the fuzz tests' way in; not saved with state).
    overrides: dict = field(default_factory=dict)

    @property
    def cancelled(self) -> bool:
        return self.status == "cancelled"

    @property
    def etag(self) -> str:
        micros = int(self.updated.timestamp() * 1_000_000)
        return f'"{micros // 1000 * 1000 + self.changed % 1000}"'

    def html_link(self) -> str:
        eid = base64.urlsafe_b64encode(f"{self.id} {self.calendar_id}".encode()).decode()
        return "https://www.google.com/calendar/event?eid=" + eid.rstrip("=")

    def tombstone(self, output_tz: str) -> dict:
        """A deleted event carries only its id; a cancelled instance also says which one."""
        body = {"kind": "calendar#event", "etag": self.etag, "id": self.id, "status": "cancelled"}
        if self.recurring_event_id:
            body["recurringEventId"] = self.recurring_event_id
            body["originalStartTime"] = render_when(self.original_start, self.time_zone, output_tz)
        return body

    def resource(self, output_tz: str) -> dict:
        if self.cancelled:
            return self.tombstone(output_tz)
        body = {
            "kind": "calendar#event",
            "etag": self.etag,
            "id": self.id,
            "status": self.status,
            "htmlLink": self.html_link(),
            "created": rfc3339_ms(self.created.replace(microsecond=0)),
            "updated": rfc3339_ms(self.updated),
        }
        body.update(copy.deepcopy(self.fields))
        body["start"] = render_when(self.start, self.time_zone, output_tz)
        body["end"] = render_when(self.end, self.time_zone, output_tz)
        if self.recurrence:
            body["recurrence"] = list(self.recurrence)
        if self.recurring_event_id:
            body["recurringEventId"] = self.recurring_event_id
            body["originalStartTime"] = render_when(self.original_start, self.time_zone, output_tz)
        body["iCalUID"] = self.ical_uid
        body["sequence"] = self.sequence
        body.setdefault("reminders", {"useDefault": True})
        body.setdefault("eventType", "default")
        body.update(copy.deepcopy(self.overrides))
        return body

    def searchable_text(self) -> str:
        people = [self.fields.get("organizer") or {}, *self.fields.get("attendees", [])]
        parts = [self.fields.get(name, "") for name in ("summary", "description", "location")]
        for person in people:
            parts += [person.get("email", ""), person.get("displayName", "")]
        return " ".join(parts).lower()

    # -- recurrence -------------------------------------------------------------------------

    def occurrences(
        self, until: datetime, calendar_tz: str, since: datetime | None = None
    ) -> Iterator[When]:
        """Original starts of the occurrences starting before ``until`` and, when ``since``
        is given, ending after it; at most MAX_INSTANCES of them."""
        tz = self.time_zone or calendar_tz
        duration = self.end - self.start
        if is_all_day(self.start):
            dtstart = datetime.combine(self.start, time())
            limit = until.astimezone(ZoneInfo(tz)).replace(tzinfo=None)
        else:
            # Expand in local wall time so a weekly 09:00 stays 09:00 across DST.
            dtstart = self.start.astimezone(ZoneInfo(tz))
            limit = until
        rules = rrulestr("\n".join(self.recurrence or []), dtstart=dtstart, forceset=True)
        count = 0
        for occurrence in rules:
            if occurrence >= limit or count >= MAX_INSTANCES:
                return
            when = occurrence.date() if is_all_day(self.start) else occurrence.astimezone(UTC)
            if since is not None and to_utc(when + duration, tz) <= since:
                continue
            count += 1
            yield when

    def instance(self, original_start: When) -> Event:
        """The unmodified occurrence of this series that starts at ``original_start``."""
        duration = self.end - self.start
        return replace(
            self,
            id=f"{self.id}_{instance_suffix(original_start)}",
            start=original_start,
            end=original_start + duration,
            recurrence=None,
            recurring_event_id=self.id,
            original_start=original_start,
        )

    def find_occurrence(self, original_start: When, calendar_tz: str) -> When | None:
        """The occurrence matching ``original_start`` (compared by instance id), if any."""
        if is_all_day(self.start) != is_all_day(original_start):
            return None
        wanted = instance_suffix(original_start)
        until = to_utc(original_start, calendar_tz) + timedelta(days=1)
        for occurrence in self.occurrences(until, calendar_tz):
            if instance_suffix(occurrence) == wanted:
                return occurrence
        return None
