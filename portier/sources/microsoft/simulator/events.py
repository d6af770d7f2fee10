"""The simulated mailbox's events and how Graph shows them: series expanded into occurrences
(in the event's own zone, so 09:00 stays 09:00 across a DST change), exceptions, cancellations,
and the JSON of one event in the zone the client prefers."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from portier.sources.microsoft.zones import iana_name

STEP = {"daily": timedelta(days=1), "weekly": timedelta(days=7)}
MAX_OCCURRENCES = 1000
_ids = itertools.count(1)


def recurrence_of(lines) -> dict | None:
    """Simple RRULE lines (FREQ=DAILY|WEEKLY, INTERVAL, COUNT) as the simulator's pattern."""
    for line in lines or ():
        if line.startswith("RRULE:"):
            parts = dict(p.split("=", 1) for p in line[6:].split(";") if "=" in p)
            return {
                "type": parts.get("FREQ", "WEEKLY").lower(),
                "interval": int(parts.get("INTERVAL", 1)),
                "count": int(parts["COUNT"]) if "COUNT" in parts else None,
            }
    return None


def rrule_of(recurrence: dict | None) -> list[str]:
    if not recurrence:
        return []
    rule = f"RRULE:FREQ={recurrence.get('type', 'weekly').upper()}"
    if int(recurrence.get("interval") or 1) != 1:
        rule += f";INTERVAL={int(recurrence['interval'])}"
    if recurrence.get("count"):
        rule += f";COUNT={int(recurrence['count'])}"
    return [rule]


def new_id(prefix: str) -> str:
    return f"AAMk{prefix}{next(_ids):06d}"


def stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Exception_:
    start: datetime | None = None
    end: datetime | None = None
    cancelled: bool = False
    version: int = 1


@dataclass
class Event:
    id: str
    calendar_id: str
    subject: str
    start: datetime  # aware
    end: datetime
    zone: str  # a Windows name, as Outlook keeps it
    organizer: str
    attendees: list[dict] = field(default_factory=list)
    location: str = ""
    recurrence: dict | None = None  # {"type": "weekly", "interval": 1, "count": 4}
    exceptions: dict[str, Exception_] = field(default_factory=dict)
    cancelled: bool = False
    version: int = 1
    modified: datetime = field(default_factory=lambda: datetime.now(UTC))

    def touch(self) -> None:
        self.version += 1
        self.modified = datetime.now(UTC)

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(iana_name(self.zone) or "UTC")

    def original_starts(self, until: datetime) -> list[datetime]:
        """Every occurrence's original start up to ``until``, in wall time of the zone."""
        rule = self.recurrence or {}
        step = STEP[rule.get("type", "weekly")] * int(rule.get("interval") or 1)
        count = int(rule.get("count") or MAX_OCCURRENCES)
        local = self.start.astimezone(self.tz).replace(tzinfo=None)
        starts = []
        for n in range(min(count, MAX_OCCURRENCES)):
            moment = (local + n * step).replace(tzinfo=self.tz)
            if moment > until:
                break
            starts.append(moment)
        return starts

    def occurrences(self, until: datetime) -> list[Occurrence]:
        """The series' live occurrences (cancelled ones are not shown, as in Graph)."""
        length = self.end - self.start
        found = []
        for original in self.original_starts(until):
            key = stamp(original)
            change = self.exceptions.get(key)
            if change is not None and change.cancelled:
                continue
            start = change.start if change and change.start else original
            end = change.end if change and change.end else start + length
            found.append(Occurrence(self, original, start, end, change))
        return found


@dataclass
class Occurrence:
    master: Event
    original: datetime
    start: datetime
    end: datetime
    change: Exception_ | None

    @property
    def id(self) -> str:
        return f"{self.master.id}_{stamp(self.original)}"

    @property
    def version(self) -> str:
        return f"{self.master.version}.{self.change.version if self.change else 0}"


def _when(moment: datetime, zone_name: str) -> dict:
    """A dateTimeTimeZone in the client's preferred zone (UTC unless it asked otherwise)."""
    if zone_name in ("", "UTC"):
        return {
            "dateTime": moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.0000000"),
            "timeZone": "UTC",
        }
    local = moment.astimezone(ZoneInfo(iana_name(zone_name) or "UTC"))
    return {"dateTime": local.strftime("%Y-%m-%dT%H:%M:%S.0000000"), "timeZone": zone_name}


def as_json(item: Event | Occurrence, *, zone: str, base_url: str) -> dict:
    event = item.master if isinstance(item, Occurrence) else item
    body = {
        "id": item.id,
        "iCalUId": f"040000008200E00074C5B7101A82E008{event.id}",
        "changeKey": f"ck{event.id}.{item.version}",
        "subject": event.subject,
        "start": _when(item.start, zone),
        "end": _when(item.end, zone),
        "isAllDay": False,
        "isCancelled": event.cancelled,
        "originalStartTimeZone": event.zone,
        "originalEndTimeZone": event.zone,
        "location": {"displayName": event.location},
        "organizer": {"emailAddress": {"address": event.organizer, "name": event.organizer}},
        "attendees": event.attendees,
        "webLink": f"{base_url}/owa/?itemid={item.id}",
        "lastModifiedDateTime": iso(event.modified),
    }
    if isinstance(item, Occurrence):
        body.update(
            type="exception" if item.change else "occurrence",
            seriesMasterId=event.id,
            originalStart=iso(item.original),
        )
        body["iCalUId"] += stamp(item.original)
    elif event.recurrence:
        rule = event.recurrence
        day = event.start.astimezone(event.tz).strftime("%A").lower()
        body.update(
            type="seriesMaster",
            recurrence={
                "pattern": {
                    "type": rule.get("type", "weekly"),
                    "interval": int(rule.get("interval") or 1),
                    "daysOfWeek": [day] if rule.get("type", "weekly") == "weekly" else [],
                },
                "range": {
                    "type": "numbered" if rule.get("count") else "noEnd",
                    "startDate": event.start.astimezone(event.tz).date().isoformat(),
                    "numberOfOccurrences": int(rule.get("count") or 0),
                    "recurrenceTimeZone": event.zone,
                },
            },
        )
    else:
        body["type"] = "singleInstance"
    return body
