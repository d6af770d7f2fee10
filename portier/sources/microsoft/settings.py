"""Microsoft's settings, read from the environment (docs/microsoft.md).

Every UPPER_CASE name becomes a Django setting of the same name (portier/sources/config.py).
"""

from portier.lib.env import env_int, env_str, env_url

MICROSOFT_CLIENT_ID = env_str("MICROSOFT_CLIENT_ID")
MICROSOFT_CLIENT_SECRET = env_str("MICROSOFT_CLIENT_SECRET")
# `organizations`: work and school accounts of any Microsoft 365 tenant, the accounts that hold
# company calendars (and what a default Entra registration allows). A tenant id restricts it to
# one company; `common` would add personal Outlook.com accounts.
MICROSOFT_AUTHORITY = env_url(
    "MICROSOFT_AUTHORITY", "https://login.microsoftonline.com/organizations", schemes=("https",)
)
MICROSOFT_GRAPH_URL = env_url("MICROSOFT_GRAPH_URL", "https://graph.microsoft.com/v1.0")
# The calendar view Portier reads: from yesterday this many days ahead, moved on weekly.
MICROSOFT_SYNC_WINDOW_DAYS = env_int("MICROSOFT_SYNC_WINDOW_DAYS", 365)
MICROSOFT_RETRIES = env_int("MICROSOFT_RETRIES", 4)
MICROSOFT_PAGE_SIZE = env_int("MICROSOFT_PAGE_SIZE", 100)
MICROSOFT_BACKOFF_SECONDS = float(env_int("MICROSOFT_BACKOFF_MS", 500)) / 1000
# A Retry-After longer than this fails the call for now: the task retries later instead.
MICROSOFT_MAX_RETRY_AFTER_SECONDS = env_int("MICROSOFT_MAX_RETRY_AFTER_SECONDS", 60)
# Graph allows 10,000 requests per 10 minutes per app and mailbox (about 16 a second).
MICROSOFT_MAILBOX_REQUESTS_PER_SECOND = env_int("MICROSOFT_MAILBOX_REQUESTS_PER_SECOND", 15)

# The sandbox's own registration: `portier serve` points MICROSOFT_* at the simulated Microsoft
# and sets PORTIER_SANDBOX_MICROSOFT_URL next to it.
PORTIER_SANDBOX_MICROSOFT_CLIENT_ID = "00000000-0000-0000-0000-00000000cafe"
PORTIER_SANDBOX_MICROSOFT_URL = env_str("PORTIER_SANDBOX_MICROSOFT_URL")
PORTIER_SANDBOX_MICROSOFT_PORT = env_int("PORTIER_SANDBOX_MICROSOFT_PORT", 0)


def real_client_configured() -> bool:
    sandbox_client = (
        bool(PORTIER_SANDBOX_MICROSOFT_URL)
        and MICROSOFT_CLIENT_ID == PORTIER_SANDBOX_MICROSOFT_CLIENT_ID
    )
    return bool(MICROSOFT_CLIENT_ID) and not sandbox_client
