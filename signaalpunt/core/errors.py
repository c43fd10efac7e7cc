"""The one error the rules raise: what a person asked for cannot be done, and why, in their language."""


class DomainError(Exception):
    """A request the rules refuse. ``message`` is for the person; ``field`` names the form field it is
    about (the message then stands next to that field), else it is shown at the top of the page."""

    status = 422

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class StaleError(DomainError):
    """Somebody else changed the thing after this person's page was loaded; the page shows the new state."""

    status = 409
