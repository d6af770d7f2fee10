"""Loopback fakes of the external systems Portier talks to, speaking their real protocols."""
