"""Hypothesis strategies for Google's event JSON: mostly Google-shaped events whose fields may
hold any JSON value, the shapes a buggy client, a proxy or a later API version could hand us."""

from hypothesis import strategies as st

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
ZONES = st.sampled_from(
    ["", "Europe/Berlin", "UTC", "America/Los_Angeles", "Mars/Olympus", "../etc"]
)
DATETIMES = st.one_of(
    st.sampled_from(
        [
            "2026-12-01T10:00:00Z",
            "2026-12-01T10:00:00+01:00",
            "2026-12-01T10:00:00",
            "2026-12-01",
            "2026-13-01T10:00:00Z",
            "",
            "yesterday",
            "9999-12-31T23:59:59-23:59",
            "0001-01-01T00:00:00+14:00",
        ]
    ),
    st.text(max_size=30),
    JSON,
)
WHEN = st.one_of(
    JSON,
    st.fixed_dictionaries(
        {}, optional={"dateTime": DATETIMES, "date": DATETIMES, "timeZone": ZONES | JSON}
    ),
)
ATTENDEE = st.one_of(
    JSON,
    st.fixed_dictionaries(
        {"email": st.emails() | st.text(max_size=20) | JSON},
        optional={
            "displayName": st.text(max_size=20) | JSON,
            "responseStatus": st.sampled_from(["accepted", "declined", "needsAction"]) | JSON,
            "resource": st.booleans() | JSON,
            "organizer": st.booleans() | JSON,
            "self": st.booleans() | JSON,
            "optional": st.booleans() | JSON,
        },
    ),
)


FIELDS = {
    "status": st.sampled_from(["confirmed", "tentative", "cancelled"]) | JSON,
    "summary": st.text(max_size=40) | JSON,
    "location": st.text(max_size=40) | JSON,
    "iCalUID": st.text(max_size=20) | JSON,
    "recurringEventId": st.text(max_size=20) | JSON,
    "originalStartTime": WHEN,
    "start": WHEN,
    "end": WHEN,
    "organizer": st.fixed_dictionaries({}, optional={"email": st.emails() | JSON}) | JSON,
    "creator": st.fixed_dictionaries({}, optional={"email": st.emails() | JSON}) | JSON,
    "attendees": st.lists(ATTENDEE, max_size=4) | JSON,
    "htmlLink": st.text(max_size=20) | JSON,
    "updated": DATETIMES,
    "recurrence": st.lists(st.text(max_size=30), max_size=3) | JSON,
}
# Any subset of the fields, each of any type: what the fuzz tests serve over a valid event.
CHANGES = st.fixed_dictionaries({}, optional=FIELDS)
EVENT = st.fixed_dictionaries({"id": st.text(min_size=1, max_size=20) | JSON}, optional=FIELDS)
