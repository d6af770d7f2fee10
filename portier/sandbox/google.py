"""The sandbox Google inside `portier serve`.

Started in serve's own (parent) process on a loopback port, so that the web workers and the
worker, its children, all talk to the same one; its endpoints reach them through their
environment, as a real OAuth client's would. Its state (accounts, events, grants, channels) is
saved to DATA_DIR/sandbox-google.json and loaded on the next start.
"""

import contextlib
import logging
import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import CommandError

from portier.integrations.services import callback_url
from portier.lib.net import is_loopback
from portier.sources.google.simulator import FakeGoogle
from portier.sources.google.simulator import state as fake_state

log = logging.getLogger(__name__)
STATE_FILE = "sandbox-google.json"
CONSENT_NOTICE = (
    "Portier sandbox: this page only looks like Google. No Google account is used and nothing "
    "leaves this computer. Choose the account and click Approve."
)


def ensure_only_this_computer(base_url: str, bind: str) -> None:
    """Sandbox mode trusts whoever reaches it (its consent page, caught mail, demo logins):
    refuse to serve it on an address that strangers can reach."""
    host = urlsplit(base_url).hostname
    if not is_loopback(host):
        where = f"PORTIER_BASE_URL is {base_url}, which is not a loopback address"
    elif not bind.startswith("unix:") and not is_loopback(bind.rpartition(":")[0]):
        where = f"--bind {bind} is not a loopback address"
    else:
        return
    raise ImproperlyConfigured(
        f"sandbox mode is for trying Portier on this computer only, but {where}. "
        "For a server, configure real Google (GOOGLE_CLIENT_ID and GOOGLE_CLIENT_SECRET, "
        "docs/google.md), or set PORTIER_SANDBOX=false to run without Google."
    )


@dataclass
class RunningSandbox:
    fake: FakeGoogle
    control_token: str

    @property
    def url(self) -> str:
        return self.fake.base_url

    def child_env(self) -> dict[str, str]:
        """What the web server and the worker need to use this Google instead of the real one."""
        return {
            **self.fake.settings(),
            "PORTIER_SANDBOX_GOOGLE_URL": self.fake.base_url,
            "PORTIER_SANDBOX_CONTROL_TOKEN": self.control_token,
        }


def apply_child_env(env: dict[str, str], sandbox) -> dict[str, str]:
    """The environment with a running sandbox's settings (Google's or Microsoft's)."""
    values = sandbox.child_env()
    for name in values:
        env.pop(f"{name}_FILE", None)  # a *_FILE variable would win over the value
    return {**env, **values}


@contextlib.contextmanager
def running_sandbox_google(control_token: str | None = None):
    path = settings.PORTIER_DATA_DIR / STATE_FILE
    token = control_token or secrets.token_urlsafe(32)
    fake = FakeGoogle(
        settings.PORTIER_SANDBOX_CLIENT_ID,
        secrets.token_urlsafe(24),
        redirect_uris=[callback_url("google")],
        host="127.0.0.1",
        port=settings.PORTIER_SANDBOX_GOOGLE_PORT,
        control_token=token,
    )
    fake.consent_notice = CONSENT_NOTICE
    try:
        fake_state.load_file(fake, path)
    except (ValueError, KeyError, TypeError) as exc:
        aside = path.with_name(path.name + ".unreadable")
        path.replace(aside)
        log.warning("sandbox Google: could not read %s (%s); starting empty", aside, exc)
    try:
        fake.start()
    except OSError as exc:
        raise CommandError(
            f"the sandbox Google cannot listen on 127.0.0.1:"
            f"{settings.PORTIER_SANDBOX_GOOGLE_PORT}: {exc} (PORTIER_SANDBOX_GOOGLE_PORT)"
        ) from exc
    autosave = fake_state.Autosave(fake, path).start()
    try:
        yield RunningSandbox(fake, token)
    finally:
        try:
            autosave.stop()
        finally:
            fake.stop()
