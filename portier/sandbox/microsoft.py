"""The sandbox Microsoft inside `portier serve`, next to the sandbox Google.

Started in serve's own (parent) process; its endpoints reach the web workers and the worker
through their environment, as a real app registration's would, together with
REQUESTS_CA_BUNDLE naming a bundle that holds the simulator's certificate authority (msal
accepts https only). Its state lives in memory: after a restart, hosts reconnect.
"""

import contextlib
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.management.base import CommandError

from portier.sources.microsoft.simulator import FakeMicrosoft
from portier.sources.microsoft.simulator.tls import VARIABLE

log = logging.getLogger(__name__)
CONSENT_NOTICE = (
    "Portier sandbox: this page only looks like Microsoft's sign-in. No Microsoft account is "
    "used and nothing leaves this computer. Click Approve."
)


@dataclass
class RunningMicrosoft:
    fake: FakeMicrosoft

    @property
    def url(self) -> str:
        return self.fake.web_url

    def child_env(self) -> dict[str, str]:
        fake = self.fake
        return {
            "MICROSOFT_CLIENT_ID": fake.client_id,
            "MICROSOFT_CLIENT_SECRET": fake.client_secret,
            "MICROSOFT_AUTHORITY": fake.authority,
            "MICROSOFT_GRAPH_URL": fake.graph_url,
            "PORTIER_SANDBOX_MICROSOFT_URL": fake.web_url,
            VARIABLE: str(fake.certificates.bundle()),
        }


@contextlib.contextmanager
def running_sandbox_microsoft(control_token: str):
    fake = FakeMicrosoft(
        settings.PORTIER_SANDBOX_MICROSOFT_CLIENT_ID,
        control_token=control_token,
        web_port=settings.PORTIER_SANDBOX_MICROSOFT_PORT,
    )
    fake.consent_notice = CONSENT_NOTICE
    try:
        fake.start()
    except OSError as exc:
        raise CommandError(
            f"the sandbox Microsoft cannot listen on 127.0.0.1:"
            f"{settings.PORTIER_SANDBOX_MICROSOFT_PORT}: {exc} (PORTIER_SANDBOX_MICROSOFT_PORT)"
        ) from exc
    log.info("sandbox Microsoft on %s", fake.web_url)
    try:
        yield RunningMicrosoft(fake)
    finally:
        fake.stop()
