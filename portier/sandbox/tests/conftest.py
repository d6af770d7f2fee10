import pytest

from portier.sources.google.simulator import FakeGoogle
from portier.testing.fixtures import point_settings_at

CONTROL_TOKEN = "test-control-token"


@pytest.fixture
def sandbox_google(settings):
    """The sandbox Google as `portier serve` runs it, with this process's settings pointing at
    it the way serve's environment points its children."""
    fake = FakeGoogle(
        settings.PORTIER_SANDBOX_CLIENT_ID, "sandbox-secret", control_token=CONTROL_TOKEN
    ).start()
    settings.PORTIER_SANDBOX = True
    settings.PORTIER_SANDBOX_GOOGLE_URL = fake.base_url
    settings.PORTIER_SANDBOX_CONTROL_TOKEN = CONTROL_TOKEN
    point_settings_at(settings, fake)
    yield fake
    fake.stop()
