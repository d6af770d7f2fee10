import os

from tests.simulation import adapter
from tests.simulation.guests import _describe, parse
from tests.simulation.history import run_history


def test_dump(sim_db, sim_settings):
    seed = int(os.environ["PORTIER_SIM_SEED"])
    world, outcome = run_history(seed, sim_settings)
    for line in world.log:
        print(line)
    who = os.environ.get("WHO", "ann@guest.example")
    for r in world.sink.received:
        m = parse(r)
        if m.recipient == who:
            print(
                "MAIL",
                m.subject.strip()[:60],
                m.method,
                m.uid[:12],
                [
                    (d[0][5:16], d[1][5:16], d[3][:20])
                    for d in sorted(_describe(e) for e in m.events)
                ],
            )
    for a in adapter.appointments():
        print(
            "APPT",
            a.pk,
            a.remote_id[-22:],
            a.status,
            a.held_code,
            a.starts_at,
            a.version,
            sorted(a.guests),
        )
    for r in adapter.outbox_rows():
        if r.recipient == who:
            print("ROW", r.pk, r.kind, r.status, r.last_error[:80])
    print(outcome.violations)
