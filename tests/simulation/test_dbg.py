import os
from datetime import UTC, datetime
from tests.simulation.test_simulation import run_history, sim_settings  # noqa: F401
from tests.simulation.guests import parse

def test_dump(sim_db, sim_settings):
    from django.db import connections
    seed = int(os.environ["PORTIER_SIM_SEED"])
    world, outcome = run_history(seed, sim_settings)
    for line in world.log: print(line)
    who = os.environ.get("WHO", "ann@guest.example")
    for r in world.sink.received:
        m = parse(r)
        if m.recipient == who:
            print(m.subject, m.method, m.uid[:12], [ (d[0][11:16], d[1][5:16], d[3][:20]) for d in sorted(__import__('tests.simulation.guests', fromlist=['x'])._describe(e) for e in m.events)])
    print(outcome.violations)
    from tests.simulation import adapter
    for a in adapter.appointments():
        if a.series_pk: print("APPT", a.pk, a.remote_id[-20:], a.status, a.starts_at, a.version, sorted(a.guests))
    for r in adapter.outbox_rows():
        if r.recipient == who: print("ROW", r)
