"""Per-record revisions for optimistic concurrency: a record's ETag and the `If-Match` rule.

A record's ETag is a digest of its stored fields (canonical JSON of the model), so it changes
with every change to the record, both stores give the same record the same ETag, and it stays
the same through a backup, a restore or an export and import. Two states with equal fields share
an ETag: a write based on either is based on what the record holds now, so no update is lost.

A write that names the revisions it was based on (`If-Match`) is checked inside its own write
transaction, against the record as that transaction reads it: a write in between makes it fail
with `PreconditionFailed`, which names the record's current ETag.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from pydantic import BaseModel

from graph.errors import PreconditionFailed


def etag_of(record: BaseModel) -> str:
    """The record's ETag: a strong, quoted validator of its stored fields.

    >>> from graph.models import PartnershipPatch
    >>> etag_of(PartnershipPatch(until=None)) == etag_of(PartnershipPatch())
    True
    >>> len(etag_of(PartnershipPatch())), etag_of(PartnershipPatch())[0]
    (34, '"')
    """
    canonical = record.model_dump_json(exclude_none=True).encode()
    return '"' + hashlib.sha256(canonical).hexdigest()[:32] + '"'


@dataclass(frozen=True)
class IfMatch:
    """The revisions a write may change: an `If-Match` header parsed (RFC 9110, 13.1.1).

    `*` matches any existing record; otherwise one of `tags` must equal the record's ETag
    (strong comparison: a weak `W/"..."` tag never matches).
    """

    tags: frozenset[str]
    anything: bool = False

    @classmethod
    def parse(cls, header: str) -> IfMatch:
        """The header's tags; quotes are optional (a bare `abc` means `"abc"`).

        >>> IfMatch.parse('"a", W/"b", c') == IfMatch(frozenset({'"a"', 'W/"b"', '"c"'}))
        True
        >>> IfMatch.parse(" * ").anything
        True
        """
        if header.strip() == "*":
            return cls(frozenset(), anything=True)
        tags = set()
        for part in header.split(","):
            tag = part.strip()
            if tag and not tag.startswith(("W/", '"')):
                tag = f'"{tag}"'
            if tag:
                tags.add(tag)
        return cls(frozenset(tags))

    def matches(self, etag: str) -> bool:
        """Whether a record with this ETag may be changed.

        >>> IfMatch.parse('"x"').matches('"x"'), IfMatch.parse('W/"x"').matches('"x"')
        (True, False)
        """
        return self.anything or etag in self.tags

    def check(self, current: BaseModel, what: str) -> None:
        """PreconditionFailed naming `what` and its current ETag unless it matches."""
        etag = etag_of(current)
        if not self.matches(etag):
            raise PreconditionFailed(
                f"{what} has changed since it was read (If-Match {', '.join(sorted(self.tags))}"
                f" names no current revision; its ETag is now {etag}): read it again and"
                " reapply the change",
                current=etag,
            )


def check(if_match: IfMatch | None, current: BaseModel, what: str) -> None:
    """Apply the `If-Match` rule to a record read inside a write transaction (none: no rule)."""
    if if_match is not None:
        if_match.check(current, what)
