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


class PreconditionFailed(HexahelixError):
    """A write's `If-Match` names no current revision of the record: it changed since it was
    read. `current` is the record's ETag now."""

    def __init__(self, message: str, current: str) -> None:
        super().__init__(message)
        self.current = current


class PreconditionRequired(HexahelixError):
    """The service requires writes to name the revision they change (`If-Match`) and this one
    did not."""


MAX_PROBLEMS = 100
"""Most problems an error lists; the rest are counted in a last line."""


def capped(problems: list[str], total: int | None = None) -> list[str]:
    """The first MAX_PROBLEMS problems, and a line counting the others (of `total`, if only
    some were kept).

    >>> capped([f"p{i}" for i in range(102)])[-2:]
    ['p99', '... and 2 more problems']
    """
    total = max(total or 0, len(problems))
    if total <= MAX_PROBLEMS:
        return problems
    return [*problems[:MAX_PROBLEMS], f"... and {total - MAX_PROBLEMS} more problems"]


class Invalid(HexahelixError):
    """The input breaks a rule of the model; `problems` lists each one with where it is (the
    first MAX_PROBLEMS of `total`, when more were found)."""

    def __init__(
        self, message: str, problems: list[str] | None = None, total: int | None = None
    ) -> None:
        super().__init__(message)
        self.problems = capped(problems or [message], total)


class StoreUnavailable(HexahelixError):
    """The store cannot be reached right now; the request may be retried later."""


class Computing(HexahelixError):
    """An answer is not computed yet: the worker computes it (HTTP 503 with `Retry-After`)."""


class StoreFailed(HexahelixError):
    """The store refused or failed the request for a reason that is not an outage (a memory or
    time limit, wrong credentials, an unexpected server error): retrying as is will not help."""


class StoreDamaged(StoreFailed):
    """The store's data is damaged (a corrupt, foreign or empty database file): restore it from
    a backup; it will not pass by waiting."""


class Refused(HexahelixError):
    """The request is understood but not allowed (e.g. Cypher that is not a plain read)."""


class TimedOut(HexahelixError):
    """The work ran past its time limit."""


class BadQuery(HexahelixError):
    """The store could not run a query (syntax, types, unknown function)."""


class Busy(HexahelixError):
    """Too much of this work is running now; retry after `retry_after` seconds."""

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = max(1, round(retry_after))


class Unsupported(HexahelixError):
    """The configured store lacks an optional capability (e.g. Cypher on the embedded store)."""
