"""One hierarchy of domain errors; the service maps each class to one HTTP status."""

# Appended to the message of a failed `Store.load` (CLI and HTTP import): the state it leaves.
ROLLED_BACK = (
    "the load was one transaction and it was rolled back: the store still holds the graph it "
    "held before (nothing was written)"
)


class HexahelixError(Exception):
    """Base of every error the domain raises on purpose."""


class NotFound(HexahelixError):
    """A referenced record does not exist."""


class Conflict(HexahelixError):
    """The request clashes with the graph's state (duplicate id, ties still attached)."""


class Invalid(HexahelixError):
    """The input breaks a rule of the model; `problems` lists each one with where it is."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or [message]


class StoreUnavailable(HexahelixError):
    """The store cannot be reached right now; the request may be retried later."""


class StoreFailed(HexahelixError):
    """The store refused or failed the request for a reason that is not an outage (a memory or
    time limit, wrong credentials, an unexpected server error): retrying as is will not help."""


class StoreDamaged(StoreFailed):
    """The store's data is damaged (a corrupt, foreign or empty database file): restore it from
    a backup; it will not pass by waiting."""
