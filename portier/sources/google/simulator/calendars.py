"""Accounts, their calendars and the events in them, edited the way a host edits them.

Every change takes the store's one lock, bumps a store-wide change counter (what sync tokens
count), moves ``updated`` and the etag forward, and tells the listeners (push channels).
"""

from __future__ import annotations

import copy
import secrets
import threading
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from .errors import ApiError
from .events import Event, When, is_all_day, new_event_id
from .records import (
    ACCESS_ROLES,
    Account,
    Calendar,
    Entry,
    camel,
    coerce_when,
)


class CalendarStore:
    def __init__(self, lock: threading.RLock, clock: Callable[[], datetime]):
        self.lock = lock
        self._clock = clock
        self.accounts: dict[str, Account] = {}
        self.calendars: dict[str, Calendar] = {}
        self.counter = 0
        self._last = datetime.min.replace(tzinfo=UTC)
        self.listeners: list[Callable[[str], None]] = []
        self.expansion_horizon = timedelta(days=366)

    def now(self) -> datetime:
        return self._clock()

    def _tick(self) -> tuple[int, datetime]:
        """A new change number and a strictly later ``updated`` time."""
        self.counter += 1
        now = self._clock()
        if now <= self._last:
            now = self._last + timedelta(milliseconds=1)
        self._last = now
        return self.counter, now

    def _changed(self, calendar: Calendar, now: datetime) -> None:
        calendar.updated = now
        for listener in self.listeners:
            listener(calendar.id)

    # -- accounts and calendars -------------------------------------------------------------

    def add_account(
        self,
        email: str,
        name: str | None = None,
        *,
        time_zone: str = "UTC",
        calendars: Iterable[str | dict] = (),
    ) -> str:
        ZoneInfo(time_zone)
        with self.lock:
            if email in self.accounts:
                raise ValueError(f"account {email} exists")
            self.accounts[email] = Account(email, name or email.split("@")[0].title(), time_zone)
            self.add_calendar(email, email, email, time_zone)
            for item in calendars:
                if isinstance(item, str):
                    self.add_calendar(email, summary=item)
                else:
                    self.add_calendar(email, **item)
        return email

    def add_calendar(
        self,
        email: str,
        calendar_id: str | None = None,
        summary: str | None = None,
        time_zone: str | None = None,
        *,
        description: str = "",
        access_role: str | None = None,
    ) -> str:
        """Create a calendar owned by ``email``, or subscribe ``email`` to an existing one."""
        if access_role is not None and access_role not in ACCESS_ROLES:
            raise ValueError(f"access_role must be one of {ACCESS_ROLES}")
        with self.lock:
            account = self.accounts[email]
            if calendar_id is None:
                calendar_id = f"c_{secrets.token_hex(16)}@group.calendar.google.com"
            calendar = self.calendars.get(calendar_id)
            if calendar is None:
                tz = time_zone or account.time_zone
                ZoneInfo(tz)
                calendar = Calendar(calendar_id, summary or calendar_id, tz, email, description)
                calendar.updated = self._clock()
                self.calendars[calendar_id] = calendar
            role = access_role or ("owner" if calendar.owner == email else "reader")
            changed, _ = self._tick()
            primary = calendar_id == email
            account.entries[calendar_id] = Entry(calendar_id, role, primary, changed)
        return calendar_id

    def remove_calendar(self, email: str, calendar_id: str) -> None:
        """Drop a calendar from an account's list (shows as ``deleted`` in list sync)."""
        with self.lock:
            entry = self.accounts[email].entries[calendar_id]
            entry.deleted = True
            entry.changed, _ = self._tick()

    def calendar_for(self, email: str, calendar_id: str) -> tuple[Calendar, Entry]:
        """What an API call by ``email`` may see; 404 like Google for anything else."""
        if calendar_id == "primary":
            calendar_id = email
        entry = self.accounts[email].entries.get(calendar_id)
        if entry is None or entry.deleted:
            raise ApiError(404)
        return self.calendars[calendar_id], entry

    def invalidate_sync_tokens(self, calendar_id: str) -> None:
        with self.lock:
            self.calendars[calendar_id].epoch += 1

    # -- events -----------------------------------------------------------------------------

    def _person(self, email: str, calendar: Calendar) -> dict:
        account = self.accounts.get(email)
        person = {"email": email}
        if account:
            person["displayName"] = account.name
        if email == calendar.owner:
            person["self"] = True
        return person

    def _organizer(self, calendar: Calendar) -> dict:
        if calendar.id == calendar.owner:
            return self._person(calendar.owner, calendar)
        return {"email": calendar.id, "displayName": calendar.summary, "self": True}

    def _as_person(self, who: str | dict | None, calendar: Calendar) -> dict | None:
        """An e-mail address or a person dict, as Google writes organizer and creator."""
        if isinstance(who, str):
            return self._person(who, calendar)
        return who

    def _attendees(self, calendar: Calendar, items: Iterable, organizer: dict) -> list[dict]:
        result = []
        for item in items:
            if isinstance(item, str):
                person = {"email": item}
            elif isinstance(item, dict):
                person = dict(item)
            else:
                email, *rest = item
                person = {"email": email}
                if rest and rest[0]:
                    person["displayName"] = rest[0]
            email = person["email"].lower()
            if email == organizer["email"].lower():
                person.setdefault("organizer", True)
                person.setdefault("responseStatus", "accepted")
            if email == calendar.id.lower():
                person.setdefault("self", True)
            person.setdefault("responseStatus", "needsAction")
            result.append(person)
        return result

    def _times(self, calendar: Calendar, start, end, tz: str | None) -> tuple[When, When, str]:
        if isinstance(start, datetime) and start.tzinfo is not None and tz is None:
            tz = getattr(start.tzinfo, "key", None)
        start = coerce_when(start, tz or calendar.time_zone)
        if is_all_day(start):
            end = coerce_when(end, None) if end is not None else start + timedelta(days=1)
            tz = None
        else:
            tz = tz or calendar.time_zone
            end = coerce_when(end, tz) if end is not None else start + timedelta(hours=1)
        if is_all_day(start) != is_all_day(end) or end <= start:
            raise ValueError("end must be after start, and both dates or both datetimes")
        return start, end, tz

    def create_event(
        self,
        calendar_id: str,
        *,
        start: When | str,
        end: When | str | None = None,
        summary: str | None = None,
        time_zone: str | None = None,
        location: str | None = None,
        description: str | None = None,
        attendees: Iterable = (),
        recurrence: list[str] | None = None,
        organizer: dict | None = None,
        creator: dict | None = None,
        reminders: dict | None = None,
        event_id: str | None = None,
        ical_uid: str | None = None,
        **extra,
    ) -> dict:
        with self.lock:
            calendar = self.calendars[calendar_id]
            start, end, tz = self._times(calendar, start, end, time_zone)
            fields: dict = {}
            for key, value in (("summary", summary), ("description", description)):
                if value is not None:
                    fields[key] = value
            if location is not None:
                fields["location"] = location
            # An invitation from someone else lands with them as organizer and creator.
            organizer = self._as_person(organizer, calendar)
            fields["creator"] = self._as_person(creator, calendar) or organizer
            fields["creator"] = fields["creator"] or self._person(calendar.owner, calendar)
            fields["organizer"] = organizer or self._organizer(calendar)
            if attendees:
                fields["attendees"] = self._attendees(calendar, attendees, fields["organizer"])
            if reminders is not None:
                fields["reminders"] = reminders
            fields.update({camel(key): value for key, value in extra.items()})
            event_id = event_id or new_event_id()
            if event_id in calendar.events:
                raise ValueError(f"event {event_id} exists")
            changed, now = self._tick()
            event = Event(
                id=event_id,
                calendar_id=calendar.id,
                start=start,
                end=end,
                time_zone=tz,
                created=now,
                updated=now,
                changed=changed,
                fields=fields,
                recurrence=list(recurrence) if recurrence else None,
                ical_uid=ical_uid or f"{event_id}@google.com",
            )
            if event.recurrence:
                next(event.occurrences(self.now() + self.expansion_horizon, tz or "UTC"), None)
            calendar.events[event.id] = event
            self._changed(calendar, now)
            return event.resource(calendar.time_zone)

    def instance_of(self, calendar: Calendar, instance_id: str) -> Event:
        """A not-yet-stored exception for an occurrence of a stored series."""
        series_id, _, suffix = instance_id.rpartition("_")
        series = calendar.events.get(series_id)
        if series is None or not series.recurrence or series.cancelled:
            raise KeyError(instance_id)
        when: When
        if "T" in suffix:
            when = datetime.strptime(suffix, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        else:
            when = datetime.strptime(suffix, "%Y%m%d").date()
        occurrence = series.find_occurrence(when, calendar.time_zone)
        if occurrence is None:
            raise KeyError(instance_id)
        instance = series.instance(occurrence)
        instance.fields = copy.deepcopy(series.fields)
        return instance

    def update_event(self, calendar_id: str, event_id: str, **changes) -> dict:
        """Change fields (snake_case or Google's names); an instance id makes an exception."""
        with self.lock:
            calendar = self.calendars[calendar_id]
            event = calendar.events.get(event_id) or self.instance_of(calendar, event_id)
            if event.cancelled:
                raise ValueError(f"event {event_id} is deleted")
            if changes.get("status") == "cancelled":
                changes.pop("status")
                if changes:
                    raise ValueError("cancel without other changes")
                self.delete_event(calendar_id, event_id)
                return calendar.events[event_id].resource(calendar.time_zone)
            timing = False
            if {"start", "end", "time_zone"} & changes.keys():
                start = changes.pop("start", event.start)
                end = changes.pop("end", None)
                tz = changes.pop("time_zone", event.time_zone)
                if end is None:
                    end = coerce_when(start, tz or calendar.time_zone) + (event.end - event.start)
                start, end, tz = self._times(calendar, start, end, tz)
                timing = (start, end, tz) != (event.start, event.end, event.time_zone)
                event.start, event.end, event.time_zone = start, end, tz
            if "recurrence" in changes:
                if event.recurring_event_id:
                    raise ValueError("an instance has no recurrence")
                event.recurrence = list(changes.pop("recurrence") or []) or None
                timing = True
            if "status" in changes:
                event.status = changes.pop("status")
                timing = True
            only_reminders = set(changes) == {"reminders"} and not timing
            field_changes = {}
            for key, value in changes.items():
                if key in ("organizer", "creator"):
                    value = self._as_person(value, calendar)
                if key == "attendees" and value is not None:
                    value = self._attendees(calendar, value, event.fields["organizer"])
                field_changes[camel(key)] = value
            self._apply(event, field_changes)
            changed, now = self._tick()
            event.changed = changed
            if not only_reminders:  # "Updating event reminders will not cause this to change."
                event.updated = now
            if timing:
                event.sequence += 1
            calendar.events[event.id] = event
            if event.recurrence and field_changes:
                for exception in self.exceptions(calendar, event.id):
                    if not exception.cancelled:
                        self._apply(exception, field_changes)
                        exception.changed, exception.updated = changed, now
            self._changed(calendar, now)
            return event.resource(calendar.time_zone)

    def serve_raw(self, calendar_id: str, event_id: str, fields: dict) -> None:
        """From now on serve these JSON fields as given (any type), as a change of the event."""
        with self.lock:
            calendar = self.calendars[calendar_id]
            event = calendar.events[event_id]
            event.overrides = copy.deepcopy(fields)
            event.changed, event.updated = self._tick()
            self._changed(calendar, event.updated)

    @staticmethod
    def _apply(event: Event, field_changes: dict) -> None:
        for key, value in field_changes.items():
            if value is None:
                event.fields.pop(key, None)
            else:
                event.fields[key] = copy.deepcopy(value)

    def exceptions(self, calendar: Calendar, series_id: str) -> list[Event]:
        return [e for e in calendar.events.values() if e.recurring_event_id == series_id]

    def delete_event(self, calendar_id: str, event_id: str) -> None:
        """Delete an event or a whole series; an instance id cancels that one occurrence."""
        with self.lock:
            calendar = self.calendars[calendar_id]
            event = calendar.events.get(event_id) or self.instance_of(calendar, event_id)
            if event.cancelled:
                raise ValueError(f"event {event_id} is already deleted")
            changed, now = self._tick()
            doomed = [event]
            if event.recurrence:
                doomed += self.exceptions(calendar, event.id)
            for item in doomed:
                item.status = "cancelled"
                item.changed, item.updated = changed, now
            calendar.events[event.id] = event
            self._changed(calendar, now)

    def instance_id(self, calendar_id: str, series_id: str, original_start: When | str) -> str:
        with self.lock:
            calendar = self.calendars[calendar_id]
            series = calendar.events[series_id]
            tz = series.time_zone or calendar.time_zone
            occurrence = series.find_occurrence(coerce_when(original_start, tz), tz)
            if occurrence is None:
                raise ValueError(f"{series_id} has no occurrence at {original_start}")
            return series.instance(occurrence).id

    def get_event(self, calendar_id: str, event_id: str) -> dict:
        """The event as the API would render it (instances included)."""
        with self.lock:
            calendar = self.calendars[calendar_id]
            event = calendar.events.get(event_id) or self.instance_of(calendar, event_id)
            return event.resource(calendar.time_zone)
