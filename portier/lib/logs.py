"""Keep secrets that travel in URLs out of the logs.

Some secrets are part of an address: the password-reset link (``/accounts/reset/<uid>/<token>/``),
a guest's page (``/visit/<token>/``), and the OAuth callback's ``code`` and ``state``. Web
servers log request lines and Referer headers, Django logs the path of a 404: every log line
Portier writes goes through ``redact`` first (Django's handlers through ``RedactSecrets``,
gunicorn's through ``GunicornLogger``). A new URL that carries a secret adds its prefix to
``SECRET_PATH_PREFIXES`` or its query parameter to ``SECRET_QUERY_PARAMETERS``.
"""

import logging
import re

from gunicorn.glogging import Logger as _GunicornLogger

REDACTED = "[redacted]"
# Everything after these prefixes, up to the end of the path, is secret.
SECRET_PATH_PREFIXES = ("/accounts/reset/", "/visit/", "/kiosk/")
# Pages under a secret prefix that carry no secret.
PUBLIC_PATHS = ("/accounts/reset/done/",)
SECRET_QUERY_PARAMETERS = (
    "code",
    "state",
    "token",
    "access_token",
    "refresh_token",
    "id_token",
    "hint_sig",
)

_PATHS = re.compile(
    "(" + "|".join(re.escape(p) for p in SECRET_PATH_PREFIXES) + ")" + r"""[^\s?#"'<>]+"""
)
# Also URL-encoded, as in a login redirect's ``next=/callback/%3Fstate%3D...%26code%3D...``.
_QUERY = re.compile(
    r"((?:[?&;]|%3F|%26)(?:" + "|".join(SECRET_QUERY_PARAMETERS) + r")(?:=|%3D))"
    r"""(?:(?!%26)[^&;\s#"'<>])*""",
    re.IGNORECASE,
)


def _redact_path(match: re.Match) -> str:
    if match.group(0).startswith(PUBLIC_PATHS):
        return match.group(0)
    return match.group(1) + REDACTED + "/"


def redact(text: str) -> str:
    """``text`` with the secret parts of any URL in it replaced by ``[redacted]``."""
    if "/" not in text and "=" not in text:
        return text
    text = _PATHS.sub(_redact_path, text)
    return _QUERY.sub(lambda m: m.group(1) + REDACTED, text)


class RedactSecrets(logging.Filter):
    """A handler filter: the formatted message, redacted (arguments are formatted first)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


class GunicornLogger(_GunicornLogger):
    """gunicorn's logger (``--logger-class``) whose access and error lines are redacted: the
    request line, the Referer and any path an error message names."""

    def setup(self, cfg):
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            for handler in log.handlers:
                if not any(isinstance(f, RedactSecrets) for f in handler.filters):
                    handler.addFilter(RedactSecrets())
