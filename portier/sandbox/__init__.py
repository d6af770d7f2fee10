"""Sandbox mode: Portier without a Google account or a mail server (docs/sandbox.md).

`portier serve` runs the Google simulator (portier.sources.google.simulator) in its own process and
hands its endpoints to the web server and the worker; e-mail is caught in the database and shown
at /sandbox/mail/; /sandbox/calendar/ edits the simulated calendar.
"""
