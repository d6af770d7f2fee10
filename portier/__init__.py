"""Portier: visitor management driven by the hosts' calendars."""

__version__ = "0.1.0"
