"""Fuzzing Graph's event JSON: whatever Microsoft hands us, the parser returns a RemoteEvent
whose fields have the types the engine relies on, or one that carries a problem. It never raises.
"""

import os

from hypothesis import given, settings
from hypothesis import strategies as st

from portier.sources.google.tests.strategies import JSON
from portier.sources.microsoft.parse import parse_event_safely
from portier.sources.tests.checks import check

EXAMPLES = int(os.environ.get("PORTIER_FUZZ_EXAMPLES", "400"))
TEXT = st.text(max_size=30)
ZONES = st.sampled_from(
    ["UTC", "W. Europe Standard Time", "Pacific Standard Time", "Europe/Berlin", "Mars", ""]
)
TIMES = st.one_of(
    st.sampled_from(
        [
            "2026-12-01T10:00:00.0000000",
            "2026-12-01T10:00:00Z",
            "2026-12-01T10:00:00.1234567+01:00",
            "9999-12-31T23:59:59.9999999",
            "0001-01-01T00:00:00",
            "2026-02-30T10:00:00",
            "",
        ]
    ),
    TEXT,
    JSON,
)
WHEN = st.one_of(
    JSON, st.fixed_dictionaries({}, optional={"dateTime": TIMES, "timeZone": ZONES | JSON})
)
ADDRESS = st.fixed_dictionaries(
    {}, optional={"address": st.emails() | TEXT | JSON, "name": TEXT | JSON}
)
ATTENDEE = st.one_of(
    JSON,
    st.fixed_dictionaries(
        {"emailAddress": ADDRESS | JSON},
        optional={
            "type": st.sampled_from(["required", "optional", "resource"]) | JSON,
            "status": st.fixed_dictionaries({}, optional={"response": TEXT | JSON}) | JSON,
        },
    ),
)
PATTERN = st.fixed_dictionaries(
    {},
    optional={
        "type": st.sampled_from(["daily", "weekly", "absoluteMonthly", "relativeYearly"]) | JSON,
        "interval": st.integers(-2, 5) | JSON,
        "daysOfWeek": st.lists(st.sampled_from(["monday", "friday", "funday"]) | JSON) | JSON,
        "index": st.sampled_from(["first", "last", "tenth"]) | JSON,
        "dayOfMonth": st.integers(-1, 40) | JSON,
        "month": st.integers(0, 13) | JSON,
    },
)
RANGE = st.fixed_dictionaries(
    {},
    optional={
        "type": st.sampled_from(["numbered", "endDate", "noEnd"]) | JSON,
        "numberOfOccurrences": st.integers(-1, 10) | JSON,
        "endDate": st.sampled_from(["2027-01-01", "9999-12-31", "tomorrow"]) | JSON,
    },
)
EVENT = st.fixed_dictionaries(
    {"id": st.text(min_size=1, max_size=20) | JSON},
    optional={
        "subject": TEXT | JSON,
        "isCancelled": st.booleans() | JSON,
        "isAllDay": st.booleans() | JSON,
        "seriesMasterId": TEXT | JSON,
        "originalStart": TIMES,
        "originalStartTimeZone": ZONES | JSON,
        "start": WHEN,
        "end": WHEN,
        "location": st.fixed_dictionaries({}, optional={"displayName": TEXT | JSON}) | JSON,
        "organizer": st.fixed_dictionaries({}, optional={"emailAddress": ADDRESS | JSON}) | JSON,
        "attendees": st.lists(ATTENDEE, max_size=4) | JSON,
        "webLink": TEXT | JSON,
        "lastModifiedDateTime": TIMES,
        "iCalUId": TEXT | JSON,
        "recurrence": st.fixed_dictionaries({}, optional={"pattern": PATTERN, "range": RANGE})
        | JSON,
    },
)


@settings(max_examples=EXAMPLES, deadline=None)
@given(raw=EVENT)
def test_any_graph_shaped_event_parses_or_carries_a_problem(raw):
    check(parse_event_safely(raw))


@settings(max_examples=EXAMPLES // 2, deadline=None)
@given(raw=JSON)
def test_any_json_value_parses_or_carries_a_problem(raw):
    check(parse_event_safely(raw))
