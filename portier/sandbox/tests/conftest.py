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


@pytest.fixture
def sandbox_microsoft(settings, sandbox_google):
    """The sandbox Microsoft next to the sandbox Google, as `portier serve` runs them (one
    control token); the simulator reaches Portier's views through the test client."""
    from portier.sources.microsoft.simulator import FakeMicrosoft
    from portier.sources.microsoft.simulator.contract import through_test_client

    fake = FakeMicrosoft(settings.PORTIER_SANDBOX_MICROSOFT_CLIENT_ID, control_token=CONTROL_TOKEN)
    fake.deliver = through_test_client
    fake.certificates.trust()
    fake.start()
    settings.PORTIER_SANDBOX_MICROSOFT_URL = fake.web_url
    settings.MICROSOFT_CLIENT_ID = fake.client_id
    settings.MICROSOFT_CLIENT_SECRET = fake.client_secret
    settings.MICROSOFT_AUTHORITY = fake.authority
    settings.MICROSOFT_GRAPH_URL = fake.graph_url
    yield fake
    fake.stop()
    fake.certificates.untrust()
