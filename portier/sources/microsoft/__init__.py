"""Microsoft 365 / Outlook through Microsoft Graph as a calendar source (docs/microsoft.md).
Its `Source` is in source.py, its settings in settings.py: importing this package is free."""
