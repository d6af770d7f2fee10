"""Google's settings, read from the environment (docs/google.md).

Real endpoints by default; the loopback simulator and the sandbox are one setting apart. Every
UPPER_CASE name here becomes a Django setting of the same name (portier/sources/config.py).
"""

from portier.lib.env import env_int, env_str, env_url

GOOGLE_CLIENT_ID = env_str("GOOGLE_CLIENT_ID")
GOOGLE_CLIENT_SECRET = env_str("GOOGLE_CLIENT_SECRET")
GOOGLE_AUTH_URI = env_url("GOOGLE_AUTH_URI", "https://accounts.google.com/o/oauth2/auth")
GOOGLE_TOKEN_URI = env_url("GOOGLE_TOKEN_URI", "https://oauth2.googleapis.com/token")
GOOGLE_REVOKE_URI = env_url("GOOGLE_REVOKE_URI", "https://oauth2.googleapis.com/revoke")
# Replaces the API's whole base URL, service path included (what the client calls api_endpoint).
GOOGLE_API_URL = env_url("GOOGLE_API_URL", "https://www.googleapis.com/calendar/v3") + "/"
GOOGLE_RETRIES = env_int("GOOGLE_RETRIES", 4)
GOOGLE_PAGE_SIZE = env_int("GOOGLE_PAGE_SIZE", 250)
GOOGLE_BACKOFF_SECONDS = float(env_int("GOOGLE_BACKOFF_MS", 500)) / 1000
GOOGLE_USER_REQUESTS_PER_SECOND = env_int("GOOGLE_USER_REQUESTS_PER_SECOND", 10)
GOOGLE_PROJECT_REQUESTS_PER_SECOND = env_int("GOOGLE_PROJECT_REQUESTS_PER_SECOND", 100)

# The sandbox's own client (docs/sandbox.md): `portier serve` gives its children GOOGLE_*
# pointing at the simulated Google together with PORTIER_SANDBOX_GOOGLE_URL.
PORTIER_SANDBOX_CLIENT_ID = "portier-sandbox.apps.googleusercontent.com"
PORTIER_SANDBOX_GOOGLE_URL = env_str("PORTIER_SANDBOX_GOOGLE_URL")
PORTIER_SANDBOX_GOOGLE_PORT = env_int("PORTIER_SANDBOX_GOOGLE_PORT", 0)


def real_client_configured() -> bool:
    """A real Google client is configured (which ends sandbox mode): a client id that is not
    the sandbox's own next to the sandbox's URL."""
    sandbox_client = (
        bool(PORTIER_SANDBOX_GOOGLE_URL) and GOOGLE_CLIENT_ID == PORTIER_SANDBOX_CLIENT_ID
    )
    return bool(GOOGLE_CLIENT_ID) and not sandbox_client
