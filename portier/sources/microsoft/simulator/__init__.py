"""A loopback Microsoft identity platform + Graph over HTTPS, for tests and sandbox mode."""

from portier.sources.microsoft.simulator.fake import FakeMicrosoft

__all__ = ["FakeMicrosoft"]
