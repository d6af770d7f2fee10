class DomainError(Exception):
    """A change the domain refuses, with a message a person can read (already translated)."""

    def __init__(self, message, *, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field
