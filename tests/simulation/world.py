"""Carries out a schedule: Bob's calendar on a source's simulator (through its driver,
drivers.py), faults, workers, the clock.

What it records for the model: which addresses were ever guests of an event organized inside
the company, how often each event was touched, how many workers were killed after the mail
server had accepted a message (each may repeat that message once).
"""

import random
import threading
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import connections

from tests.simulation import adapter
from tests.simulation.kill import Trigger, run_killed
from tests.simulation.schedule import OUTSIDE_GUEST, ROOM

BOB = "bob@acme.example"
MARKER = "invite@portier.example"
OUTSIDER = "carl@outside.example"
ZONE = "Europe/Berlin"
WRONG_CODES = ("#MUX", "ZZQ9")  # of schedule.LOCATIONS: codes the company does not have


def _day(days: int, hour: int) -> datetime:
    base = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=days)
    return base.replace(hour=hour)


@dataclass
class Recovery:
    outage: bool  # the mail server was down or refusing when the history ended
    pending: int  # e-mails written and not out then
    flow: float | None = None  # seconds until the first of them was accepted
    drained: float | None = None  # seconds until all were out (sent, skipped or failed)


class World:
    def __init__(self, *, driver, sink, calendar_id: int, clock, settings, seed: int):
        self.driver, self.sink, self.calendar_id = driver, sink, calendar_id
        self.clock, self.settings = clock, settings
        self.rng = random.Random(seed ^ 0x5EED)  # for choices made while running
        self.events: dict[str, dict] = {}  # key -> what the host last set
        self.pending: list[int] = []  # delayed push notifications
        self.ever_guests: set[str] = set()
        self.touches: Counter = Counter()
        self.kills = Counter()
        self.log: list[str] = []
        self.ever_held: set[str] = set()  # event ids that once had a wrong location code
        self.recovery: Recovery | None = None  # measured by settle()

    # -- running ----------------------------------------------------------------------------

    def run(self, steps) -> None:
        for action, args in steps:
            getattr(self, "do_" + action)(*args)
            self.log.append(f"{action}{args}")

    def attendees(self, event: dict) -> list:
        people = [(email, email.split("@")[0].title()) for email in event["guests"]]
        if event["marked"]:
            people.append((MARKER, "Portier"))
        for extra in event["extra"]:
            people.append({"email": ROOM, "resource": True} if extra == ROOM else extra)
        return people

    def _update(self, key: str, **changes) -> None:
        event = self.events.get(key)
        if event is None:
            return
        self.touches[key] += 1
        self.driver.update(event["id"], **changes)

    # -- host actions -----------------------------------------------------------------------

    def do_page_size(self, size: int) -> None:
        self.driver.page_size(size)

    def _create(self, key, title, day, hour, guests, location, extra, count=0) -> None:
        event = {"guests": list(guests), "marked": True, "extra": list(extra)}
        event.update(title=title, start=_day(day, hour), location=location, series=count)
        event["id"] = self.driver.create(
            title=title,
            start=event["start"],
            zone=ZONE,
            location=location,
            attendees=self.attendees(event),
            count=count,
        )
        self.events[key] = event
        if location in WRONG_CODES:
            self.ever_held.add(event["id"])
        self.ever_guests.update(guests)

    def do_create(self, key, title, day, hour, guests, location, extra) -> None:
        self._create(key, title, day, hour, guests, location, extra)

    def do_create_series(self, key, title, day, hour, count, guests, location, extra) -> None:
        self._create(key, title, day, hour, guests, location, extra, count)

    def do_create_outside(self, key, day, hour) -> None:
        """An invitation from outside with the marker on it: never Portier's to send."""
        self.driver.create(
            title="Their meeting",
            start=_day(day, hour),
            zone=ZONE,
            organizer=OUTSIDER,
            attendees=[OUTSIDER, BOB, (OUTSIDE_GUEST, "Ola"), (MARKER, "Portier")],
        )

    def do_move(self, key, hours) -> None:
        event = self.events.get(key)
        if event is None:
            return
        event["start"] += timedelta(hours=hours)
        self._update(key, start=event["start"])

    def do_retitle(self, key, title) -> None:
        if key in self.events:
            self.events[key]["title"] = title
            self._update(key, title=title)

    def do_relocate(self, key, location) -> None:
        if key in self.events:
            self.events[key]["location"] = location
            if location in WRONG_CODES:
                self.ever_held.add(self.events[key]["id"])
            self._update(key, location=location)

    def _set_people(self, key: str, change) -> None:
        event = self.events.get(key)
        if event is None:
            return
        change(event)
        self._update(key, attendees=self.attendees(event))

    def do_add_guest(self, key, email) -> None:
        if key in self.events:
            self.ever_guests.add(email)
        self._set_people(key, lambda e: email in e["guests"] or e["guests"].append(email))

    def do_remove_guest(self, key, email) -> None:
        self._set_people(key, lambda e: email in e["guests"] and e["guests"].remove(email))

    def do_unmark(self, key) -> None:
        self._set_people(key, lambda e: e.update(marked=False))

    def do_mark(self, key) -> None:
        self._set_people(key, lambda e: e.update(marked=True))

    def do_delete(self, key) -> None:
        event = self.events.pop(key, None)
        if event is not None:
            self.driver.delete(event["id"])

    def _occurrence(self, key, index):
        event = self.events.get(key)
        if event is None or not event["series"] or index >= event["series"]:
            return None, None
        return event, event["start"] + timedelta(days=index)

    def do_move_occurrence(self, key, index, hours) -> None:
        event, original = self._occurrence(key, index)
        if event is None:
            return
        start = original + timedelta(hours=hours)
        self.touches[key] += 1
        self.driver.move_occurrence(event["id"], original, start)

    def do_cancel_occurrence(self, key, index) -> None:
        event, original = self._occurrence(key, index)
        if event is None:
            return
        self.touches[key] += 1
        self.driver.cancel_occurrence(event["id"], original)

    # -- notifications, syncs, workers -------------------------------------------------------

    def do_push(self, mode) -> None:
        if mode == "deliver":
            adapter.push(self.calendar_id)
        elif mode == "twice":
            adapter.push(self.calendar_id)
            adapter.push(self.calendar_id)
        elif mode == "delay":
            self.pending.append(self.calendar_id)
        # "drop": Google's notification never arrives

    def do_flush_pushes(self, reorder) -> None:
        pending, self.pending = self.pending, []
        for calendar_id in reversed(pending) if reorder else pending:
            adapter.push(calendar_id)

    def do_poll(self) -> None:
        adapter.sync(self.calendar_id)

    def do_two_workers(self) -> None:
        def work():
            try:
                adapter.sync(self.calendar_id)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=work) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)

    def do_claim_and_die(self) -> None:
        if adapter.claim_and_abandon():
            self.kills["after_claim"] += 1

    def do_kill_sync(self, mode, page) -> None:
        """A worker dies in the middle of a sync; its lease lapses ten minutes later."""
        if mode == "page":
            before = self.driver.listings()
            self.driver.slow(0.03)  # each page takes a while: the kill lands between pages

            def poll() -> bool:
                return self.driver.listings() - before > page

            killed = run_killed(lambda: adapter.sync(self.calendar_id), poll=poll)
            self.driver.slow(0)
        else:
            killed = run_killed(lambda: adapter.sync(self.calendar_id), after=self.rng.random() / 5)
        if killed:
            self.kills["sync"] += 1
        self.sink.on_accepted = self.sink.on_mail_from = None

    def do_kill_delivery(self, mode, delay) -> None:
        """A worker syncs (its commits enqueue e-mails) and sends; it dies at MAIL FROM (rows
        claimed, nothing sent), after the server kept a message (sent, not marked), or at a
        random moment."""
        trigger = Trigger()
        if mode == "after_accept":
            self.sink.on_accepted = trigger
        elif mode == "after_claim":
            self.sink.on_mail_from = trigger

        def work():
            adapter.sync(self.calendar_id)
            adapter.deliver()

        killed = run_killed(work, trigger=trigger, after=delay if mode == "random" else None)
        self.sink.on_accepted = self.sink.on_mail_from = None
        if killed:
            fired = trigger.fired.is_set()
            self.kills["after_accept" if fired and mode == "after_accept" else mode] += 1

    def do_deliver(self) -> None:
        adapter.deliver()

    # -- faults -----------------------------------------------------------------------------

    def do_api_error(self, status, n, skip) -> None:
        self.driver.fail(status, n, skip)

    def do_api_timeout(self, n, skip) -> None:
        self.driver.hang(n, skip)

    def do_cursor_gone(self, when) -> None:
        self.driver.cursor_gone(when)

    def do_smtp(self, what) -> None:
        if what == "refuse":
            self.sink.fail_temporarily(self.rng.choice((421, 451)))
        elif what == "down":
            self.sink.stop()
        else:
            self.sink.recover()
            self.sink.start()

    def do_time_passes(self, minutes) -> None:
        self.clock.shift(timedelta(minutes=minutes))

    # -- the end ----------------------------------------------------------------------------

    def _recover_mail(self, outage: bool) -> "Recovery":
        """Issue 15 item 2, measured in simulated time: the mail server is back, no worker is
        alive (killed ones' claims run on), and a worker runs whenever a row becomes due or a
        dead worker's claim lapses (as `portier serve`'s worker schedules itself): seconds
        until the first e-mail written so far is accepted, and until all of them are out."""
        before, waited = len(self.sink.received), 0.0
        pending = adapter.unsent()
        recovery = Recovery(outage=outage, pending=len(pending))
        while pending and waited <= 600:
            adapter.deliver()
            if recovery.flow is None and len(self.sink.received) > before:
                recovery.flow = waited
            pending = adapter.unsent(pending)
            if not pending:
                recovery.drained = waited
                break
            step = (adapter.next_possible(pending) - datetime.now(UTC)).total_seconds()
            step = max(step, 0.0)
            self.clock.shift(timedelta(seconds=step + 0.01))  # a moment after it is due
            waited += step
        return recovery

    def settle(self) -> None:
        """Faults off, the clock past every lease and stuck claim, then sync until quiet and
        deliver until nothing is due."""
        self.driver.calm()
        outage = not self.sink.running or self.sink.temporary_code is not None
        self.sink.recover()
        self.sink.start()
        self.sink.on_accepted = self.sink.on_mail_from = None
        self.recovery = self._recover_mail(outage)
        self.do_flush_pushes(False)
        self.clock.shift(timedelta(minutes=11))
        for _round in range(8):
            mark = adapter.state_mark()
            adapter.sync(self.calendar_id)
            if adapter.state_mark() == mark and not adapter.sync_lease_held(self.calendar_id):
                break
        else:
            raise AssertionError("the sync never became quiet")
        for _round in range(60):
            adapter.sweep()
            due = adapter.next_due()
            if due is None and adapter.sending_count() == 0:
                return
            self.clock.shift(
                max(due - datetime.now(UTC), timedelta(0)) + timedelta(seconds=1)
                if due
                else timedelta(minutes=11)
            )
        raise AssertionError("the outbox never drained")
