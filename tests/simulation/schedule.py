"""A seeded random history: what Bob does in his calendar, interleaved with what goes wrong.

`schedule(seed)` is a pure function of the seed: the same seed gives the same list of steps,
so a failing history can be replayed and read (`print(*schedule(1234), sep="\\n")`).
Each step is `(action, args)`; `world.World.run` carries them out.
"""

import random
from dataclasses import dataclass, field

GUESTS = ("ann@guest.example", "ben@guest.example", "cem@partner.example", "dee@partner.example")
OUTSIDE_GUEST = "ola@elsewhere.example"  # only ever on an event organized outside the company
COLLEAGUE = "alice@acme.example"
ROOM = "acme.example_room1@resource.calendar.google.com"
# Location field texts: valid codes (bare or tagged), free text, wrong codes, nothing.
LOCATIONS = ("", "Room 4.12", "#MUC", "ANHQ", "[muc] Room 2", "#MUX", "ZZQ9", "Lobby")
TITLES = ("Visit", "Interview", "Audit", "Kick-off", "Workshop", "Lunch")


@dataclass
class Plan:
    """The generator's own small view of the calendar, to pick sensible targets."""

    events: dict = field(default_factory=dict)  # key -> {"series": n or 0, "guests": set}
    counter: int = 0

    def new_key(self) -> str:
        self.counter += 1
        return f"e{self.counter}"


def _guests(rng: random.Random) -> list[str]:
    return sorted(rng.sample(GUESTS, rng.randint(1, 3)))


def _create(rng: random.Random, plan: Plan) -> tuple:
    key = plan.new_key()
    guests = _guests(rng)
    day, hour = rng.randint(1, 9), rng.randint(8, 17)
    location = rng.choice(LOCATIONS)
    extra = rng.choice(((), (COLLEAGUE,), (ROOM,), (COLLEAGUE, ROOM)))
    title = rng.choice(TITLES)
    if rng.random() < 0.25:
        count = rng.randint(2, 4)
        plan.events[key] = {"series": count, "guests": set(guests)}
        return ("create_series", (key, title, day, hour, count, guests, location, extra))
    plan.events[key] = {"series": 0, "guests": set(guests)}
    return ("create", (key, title, day, hour, guests, location, extra))


def _host_action(rng: random.Random, plan: Plan) -> tuple:
    if not plan.events or rng.random() < 0.2:
        if rng.random() < 0.1:
            return ("create_outside", (plan.new_key(), rng.randint(1, 9), rng.randint(8, 17)))
        return _create(rng, plan)
    key = rng.choice(sorted(plan.events))
    event = plan.events[key]
    choices = ["move", "retitle", "relocate", "add_guest", "remove_guest", "unmark", "mark"]
    choices += ["delete"] * 1 + ["move"] * 2
    if event["series"]:
        # Not the whole series: see FOUND.md, "a series moved as a whole".
        choices = [c for c in choices if c != "move"]
        choices += ["move_occurrence"] * 3 + ["cancel_occurrence"] * 2
    action = rng.choice(choices)
    if action == "move":
        return ("move", (key, rng.choice((-2, -1, 1, 2, 24, 48))))
    if action == "retitle":
        return ("retitle", (key, rng.choice(TITLES) + rng.choice(("", " (new)", " 2"))))
    if action == "relocate":
        return ("relocate", (key, rng.choice(LOCATIONS)))
    if action == "add_guest":
        email = rng.choice(GUESTS)
        event["guests"].add(email)
        return ("add_guest", (key, email))
    if action == "remove_guest":
        if not event["guests"]:
            return ("add_guest", (key, GUESTS[0]))
        email = rng.choice(sorted(event["guests"]))
        event["guests"].discard(email)
        return ("remove_guest", (key, email))
    if action == "delete":
        del plan.events[key]
        return ("delete", (key,))
    if action in ("move_occurrence", "cancel_occurrence"):
        index = rng.randrange(event["series"])
        if action == "cancel_occurrence":
            return ("cancel_occurrence", (key, index))
        return ("move_occurrence", (key, index, rng.choice((-1, 1, 3))))
    return (action, (key,))


FAULTS = (
    # (weight, step factory)
    (3, lambda rng: ("push", (rng.choice(("deliver", "deliver", "drop", "twice", "delay")),))),
    (2, lambda rng: ("flush_pushes", (rng.random() < 0.5,))),  # delayed ones, maybe reordered
    (2, lambda rng: ("poll", ())),
    (
        2,
        lambda rng: (
            "api_error",
            (rng.choice((403, 429, 500, 503)), rng.randint(1, 6), rng.randint(0, 2)),
        ),
    ),
    (1, lambda rng: ("api_timeout", (rng.randint(1, 2), rng.randint(0, 2)))),
    (2, lambda rng: ("cursor_gone", (rng.choice(("now", "mid-chain")),))),
    (2, lambda rng: ("smtp", (rng.choice(("refuse", "down", "back", "back")),))),
    (1, lambda rng: ("deliver", ())),
    (1, lambda rng: ("time_passes", (rng.choice((1, 2, 5, 11, 30)),))),
    (1, lambda rng: ("two_workers", ())),
    (1, lambda rng: ("claim_and_die", ())),
    (1, lambda rng: ("kill_sync", (rng.choice(("page", "random")), rng.randint(1, 3)))),
    (
        3,
        lambda rng: (
            "kill_delivery",
            (rng.choice(("after_accept", "after_claim", "random")), rng.random() / 20),
        ),
    ),
)


def schedule(seed: int, *, steps: int | None = None) -> list[tuple]:
    rng = random.Random(seed)
    plan = Plan()
    page_size = rng.choice((2, 3, 250))
    history = [("page_size", (page_size,))]
    for _ in range(rng.randint(1, 3)):
        history.append(_create(rng, plan))
    history.append(("poll", ()))
    total = steps or rng.randint(10, 24)
    weights = [w for w, _f in FAULTS]
    for _ in range(total):
        if rng.random() < 0.5:
            history.append(_host_action(rng, plan))
        else:
            _w, factory = rng.choices(FAULTS, weights=weights)[0]
            history.append(factory(rng))
    return history
