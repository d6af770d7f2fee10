"""Google Calendar as a calendar source (docs/google.md). Its `Source` is in source.py, its
settings in settings.py: importing this package costs nothing, so the settings can be read at
start-up without loading the client library."""
