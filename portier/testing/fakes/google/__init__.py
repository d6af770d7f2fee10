"""A fake Google (OAuth 2.0 + Calendar API v3) for tests, benchmarks and the sandbox.

Importable without Django settings. See ``FakeGoogle`` for the Python API.
"""

from .channels import Notification
from .errors import ApiError
from .fake import FakeGoogle
from .oauth import ConsentError

__all__ = ["ApiError", "ConsentError", "FakeGoogle", "Notification"]
