"""The Google simulator: a loopback fake of OAuth 2.0 + Calendar API v3, product code run by
sandbox mode and used by the tests and benchmarks.

Importable without Django settings. See ``FakeGoogle`` for the Python API.
"""

from .channels import Notification
from .errors import ApiError
from .fake import FakeGoogle
from .oauth import ConsentError

__all__ = ["ApiError", "ConsentError", "FakeGoogle", "Notification"]
