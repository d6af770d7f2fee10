"""Fuzzing Google's push webhook with any headers and body: it always answers 200 at once, and
only a notice naming the calendar's channel with its token (and resource, once known) that says
something changed marks the calendar due."""

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portier.integrations.models import Calendar
from portier.sync import channels
from portier.testing.db import rolled_back

URL = "/integrations/google/notifications/"
EXAMPLES = int(os.environ.get("PORTIER_FUZZ_EXAMPLES", "100"))
# What a WSGI server hands Django: header values are latin-1 text.
TEXT = st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF), max_size=80)
HEADERS = {
    "channel": "HTTP_X_GOOG_CHANNEL_ID",
    "token": "HTTP_X_GOOG_CHANNEL_TOKEN",
    "resource": "HTTP_X_GOOG_RESOURCE_ID",
    "state": "HTTP_X_GOOG_RESOURCE_STATE",
}


def variant(real: str):
    """The real value, a near miss, anything, or no header at all."""
    return st.one_of(
        st.just(real),
        st.just(real.upper()),
        st.just(real[:-1]),
        st.just(real + " "),
        TEXT.map(lambda extra: real + extra),
        TEXT,
        st.none(),
    )


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data(), body=st.binary(max_size=200), number=TEXT | st.none())
def test_the_webhook_acts_only_on_a_notice_for_the_channel(
    client, google_fake, bob_calendar, data, body, number
):
    calendar = channels.open_channel(bob_calendar)
    real = {
        "channel": calendar.channel_id,
        "token": calendar.channel_token,
        "resource": calendar.channel_resource_id,
        "state": "exists",
    }
    sent = {name: data.draw(variant(value), label=name) for name, value in real.items()}
    meta = {HEADERS[name]: value for name, value in sent.items() if value is not None}
    if number is not None:
        meta["HTTP_X_GOOG_MESSAGE_NUMBER"] = number
    with rolled_back():
        response = client.post(URL, data=body, content_type="application/json", **meta)
        assert response.status_code == 200
        genuine = all(sent[name] == real[name] for name in ("channel", "token", "resource"))
        due = Calendar.objects.get(pk=calendar.pk).sync_requested_at is not None
        assert due == (genuine and sent["state"] == "exists"), sent
