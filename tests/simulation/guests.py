"""What each guest's inbox and calendar say: the e-mails the SMTP sink kept, read as a guest's
calendar program reads their .ics (RFC 5546: REQUEST adds or replaces, CANCEL removes; an
occurrence is addressed by RECURRENCE-ID; a REQUEST for a whole series replaces it)."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import icalendar
import recurring_ical_events


@dataclass(frozen=True)
class Occurrence:
    start: datetime
    end: datetime
    location: str
    summary: str


@dataclass
class Mail:
    recipient: str
    message_id: str
    raw: bytes
    subject: str
    method: str = ""
    uid: str = ""
    events: list = field(default_factory=list)  # VEVENT components

    @property
    def is_guest_mail(self) -> bool:
        return self.uid.startswith("portier-")

    @property
    def series(self) -> bool:
        return self.uid.startswith("portier-s")

    def content(self) -> tuple:
        """What the guest reads, without stamps: method and each event's when, where, what."""
        return (self.method, tuple(sorted(_describe(e) for e in self.events)))


def _instant(value) -> datetime:
    if isinstance(value, datetime):
        return value.astimezone(UTC)
    assert isinstance(value, date)
    return datetime(value.year, value.month, value.day, tzinfo=UTC)


def _describe(event) -> tuple:
    rid = event.get("recurrence-id")
    return (
        _instant(rid.dt).isoformat() if rid else "",
        _instant(event["dtstart"].dt).isoformat(),
        _instant(event["dtend"].dt).isoformat(),
        str(event.get("location", "")),
        str(event.get("summary", "")),
        str(event.get("rrule", "") and event["rrule"].to_ical().decode()),
        str(event.get("status", "")),
        _exdates(event),
    )


def _exdates(event) -> str:
    """The dates a series' rule excludes: a series sent again may differ in these alone."""
    found = event.get("exdate", [])
    lines = found if isinstance(found, list) else [found]
    return ",".join(sorted(_instant(d.dt).isoformat() for line in lines for d in line.dts))


def parse(received) -> Mail:
    message = received.message
    mail = Mail(
        recipient=received.rcpt_tos[0].lower(),
        message_id=str(message["Message-ID"]).strip(),
        raw=received.raw,
        subject=str(message["Subject"]),
    )
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            calendar = icalendar.Calendar.from_ical(part.get_payload(decode=True))
            mail.method = str(calendar.get("method", ""))
            mail.events = list(calendar.walk("VEVENT"))
            mail.uid = str(mail.events[0]["uid"]) if mail.events else ""
            break
    return mail


def _occurrence(event) -> Occurrence:
    return Occurrence(
        _instant(event["dtstart"].dt),
        _instant(event["dtend"].dt),
        str(event.get("location", "")),
        str(event.get("summary", "")),
    )


@dataclass
class Entry:
    """One UID in a guest's calendar."""

    master: object = None
    overrides: dict = field(default_factory=dict)  # recurrence instant -> event | None

    def apply(self, mail: Mail) -> None:
        for event in mail.events:
            rid = event.get("recurrence-id")
            if rid is None:
                self.overrides = {}
                self.master = event if mail.method == "REQUEST" else None
            else:
                self.overrides[_instant(rid.dt)] = event if mail.method == "REQUEST" else None

    def occurrences(self, now: datetime) -> list[Occurrence]:
        found: dict[datetime, Occurrence] = {}
        if self.master is not None:
            calendar = icalendar.Calendar()
            calendar.add_component(self.master)
            window = (now - timedelta(days=2), now + timedelta(days=120))
            for event in recurring_ical_events.of(calendar).between(*window):
                found[_instant(event["dtstart"].dt)] = _occurrence(event)
        for rid, event in self.overrides.items():
            if event is None:
                found.pop(rid, None)
            elif self.master is not None or rid not in found:
                found[rid] = _occurrence(event)
        return sorted(found.values(), key=lambda o: o.start)


def calendars(mails: list[Mail]) -> dict[tuple[str, str], Entry]:
    """(recipient, uid) -> the entry its calendar shows, after every e-mail in arrival order
    (a repeat read once; a repeat that says something else is read as well)."""
    entries: dict[tuple[str, str], Entry] = {}
    for mail in distinct(mails):
        entries.setdefault((mail.recipient, mail.uid), Entry()).apply(mail)
    return entries


def distinct(mails: list[Mail]) -> list[Mail]:
    """Guest e-mails in arrival order, without repeats of what a Message-ID already said."""
    seen: set[tuple] = set()
    found = []
    for mail in mails:
        said = (mail.message_id, mail.content())
        if mail.is_guest_mail and said not in seen:
            seen.add(said)
            found.append(mail)
    return found
