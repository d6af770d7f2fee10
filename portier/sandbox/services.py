"""The sandbox calendar: a host's events in a simulated source (Google's, Microsoft's), edited
as in the provider's own UI."""

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings

from portier.locations.models import Location
from portier.sandbox import client


def account_time_zone(user) -> str:
    """The zone a new sandbox account gets: the host's primary location's, else the company's
    first location's, else the installation's."""
    location = user.primary_location
    if location is None and getattr(user, "company", None) is not None:
        location = Location.objects.for_company(user.company).order_by("pk").first()
    return location.time_zone if location is not None else settings.TIME_ZONE


def sandbox_account(user, source: str = "google") -> dict:
    """The user's account in the source's sandbox (made on first use): its e-mail is the
    user's; ``calendar_id`` names its primary calendar."""
    return client.ensure_account(user.email, user.name, account_time_zone(user), source=source)


@dataclass(frozen=True)
class EventView:
    """An event of the sandbox calendar as the page shows it (times in the calendar's zone)."""

    id: str
    title: str
    start: datetime | date
    end: datetime | date
    location: str
    attendees: list[str]  # as the guests field shows them: `Name <address>` or the address
    weekly: bool
    weeks: int | None
    resource: dict


def _when(value: dict, zone: ZoneInfo) -> datetime | date:
    if "date" in value:
        return date.fromisoformat(value["date"])
    return datetime.fromisoformat(value["dateTime"].replace("Z", "+00:00")).astimezone(zone)


def _weekly(recurrence: list[str]) -> tuple[bool, int | None]:
    for line in recurrence:
        if line.startswith("RRULE:") and "FREQ=WEEKLY" in line:
            parts = dict(p.split("=", 1) for p in line[6:].split(";") if "=" in p)
            count = parts.get("COUNT")
            return True, int(count) if count and count.isdigit() else None
    return False, None


def show_address(name: str | None, email: str) -> str:
    """`Peter Gibbons <peter@initech.example>` as a mail client writes it (quoted when the
    name holds a comma or the like, never MIME-encoded), or the bare address."""
    if not name:
        return email
    if any(char in name for char in ',;:<>@()"\\'):
        name = '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return f"{name} <{email}>"


def event_view(resource: dict, zone: ZoneInfo) -> EventView:
    weekly, weeks = _weekly(resource.get("recurrence") or [])
    return EventView(
        id=resource["id"],
        title=resource.get("summary", ""),
        start=_when(resource["start"], zone),
        end=_when(resource["end"], zone),
        location=resource.get("location", ""),
        attendees=[
            show_address(a.get("displayName"), a["email"]) for a in resource.get("attendees", [])
        ],
        weekly=weekly,
        weeks=weeks,
        resource=resource,
    )


def list_events(user, source: str = "google") -> tuple[dict, list[EventView]]:
    account = sandbox_account(user, source)
    zone = ZoneInfo(account["time_zone"])
    events = client.list_events(account["calendar_id"], source=source)
    return account, [event_view(e, zone) for e in events]


def get_event(user, event_id: str, source: str = "google") -> tuple[dict, EventView]:
    account = sandbox_account(user, source)
    zone = ZoneInfo(account["time_zone"])
    resource = client.get_event(account["calendar_id"], event_id, source=source)
    return account, event_view(resource, zone)


def event_fields(data: dict, time_zone: str, *, creating: bool) -> dict:
    """The control API's fields for what the event form holds (wall times in ``time_zone``)."""
    recurrence = []
    if data["weekly"]:
        rule = "RRULE:FREQ=WEEKLY"
        if data.get("weeks"):
            rule += f";COUNT={data['weeks']}"
        recurrence = [rule]
    fields = {
        "summary": data["title"],
        "start": data["start"].isoformat(),
        "end": data["end"].isoformat(),
        "time_zone": time_zone,
        "location": data["location"] or None,
        "attendees": [
            {"email": email, "displayName": name} if name else {"email": email}
            for name, email in data["attendees"]
        ],
        "recurrence": recurrence or None,
    }
    if creating:
        fields = {k: v for k, v in fields.items() if v is not None}
    return fields


def create_event(user, data: dict, source: str = "google") -> dict:
    account = sandbox_account(user, source)
    fields = event_fields(data, account["time_zone"], creating=True)
    return client.create_event(account["calendar_id"], fields, source=source)


def update_event(user, event_id: str, data: dict, source: str = "google") -> dict:
    account = sandbox_account(user, source)
    fields = event_fields(data, account["time_zone"], creating=False)
    current = client.get_event(account["calendar_id"], event_id, source=source)
    # Only what changed, as Google's UI patches: an untouched series keeps its exceptions.
    if current.get("recurrence") == fields["recurrence"] or (
        not current.get("recurrence") and not fields["recurrence"]
    ):
        fields.pop("recurrence")
    if not current.get("location") and not fields["location"]:
        fields.pop("location")
    return client.update_event(account["calendar_id"], event_id, fields, source=source)


def delete_event(user, event_id: str, source: str = "google") -> None:
    account = sandbox_account(user, source)
    client.delete_event(account["calendar_id"], event_id, source=source)
