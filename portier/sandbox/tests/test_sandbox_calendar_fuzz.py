"""Fuzzing the sandbox calendar's event form with any input: the answer is the form with what
is wrong, or the event in the sandbox Google and a calendar page that still shows. Never a 500."""

import os
from datetime import datetime, timedelta

from django.urls import reverse
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from portier.sandbox.tests.test_sandbox_calendar import MARKER, event_form

EXAMPLES = int(os.environ.get("PORTIER_FUZZ_EXAMPLES", "60"))
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=80)
LOCAL = "%Y-%m-%dT%H:%M"
WHEN = st.one_of(
    st.sampled_from(["2030-05-06T10:00", "2030-05-06T10:00:00", "0001-01-01T00:00", "", "now"]),
    st.datetimes().map(lambda d: d.strftime(LOCAL)),
    TEXT,
)
# Half the time a valid start and end, so that the rest of the input reaches Google.
TIMES = st.one_of(
    st.tuples(WHEN, WHEN),
    st.tuples(
        st.datetimes(datetime(2000, 1, 1), datetime(2100, 1, 1)),
        st.integers(1, 60 * 24 * 3),
    ).map(lambda t: (t[0].strftime(LOCAL), (t[0] + timedelta(minutes=t[1])).strftime(LOCAL))),
)
ATTENDEES = st.one_of(
    st.lists(
        st.one_of(
            st.emails(),
            st.just(MARKER),
            st.sampled_from(['"Gibbons, Peter" <peter@initech.example>', "<>", '"', "a@", "@b"]),
            TEXT,
        ),
        max_size=4,
    ).map("\n".join),
    TEXT,
)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    title=TEXT | st.text(min_size=1, max_size=80).filter(str.strip),
    times=TIMES,
    location=TEXT,
    attendees=ATTENDEES,
    weekly=st.sampled_from(["", "on"]),
    weeks=st.one_of(st.just(""), st.integers(-5, 100).map(str), TEXT),
)
def test_any_input_to_the_sandbox_calendar_is_an_event_or_a_reason(
    alice_client, alice, sandbox_google, title, times, location, attendees, weekly, weeks
):
    start, end = times
    data = event_form(
        title=title, start=start, end=end, location=location, attendees=attendees, weeks=weeks
    )
    if weekly:
        data["weekly"] = weekly
    response = alice_client.post(reverse("sandbox:calendar"), data)
    assert response.status_code in (200, 302)
    event(f"answered {response.status_code}")
    if response.status_code == 200:
        assert response.context["form"].errors, "the form came back without a reason"
    page = alice_client.get(reverse("sandbox:calendar"))
    assert page.status_code == 200
    events = sandbox_google.store.calendars[alice.email].events
    for event_id in [i for i, e in events.items() if not e.cancelled and not e.recurring_event_id]:
        sandbox_google.delete_event(alice.email, event_id)


def test_a_date_at_the_end_of_time_is_refused_and_the_calendar_still_shows(
    alice_client, sandbox_google
):
    """Found by the fuzz test above: 9999-12-31T23:30 in Berlin was stored by the sandbox
    Google, which then could not render it: the host's calendar answered 503 from then on."""
    data = event_form(start="9999-12-31T23:00", end="9999-12-31T23:30")
    response = alice_client.post(reverse("sandbox:calendar"), data)
    assert response.status_code == 200
    assert "between the years 1900 and 2999" in response.content.decode()
    assert alice_client.get(reverse("sandbox:calendar")).status_code == 200
