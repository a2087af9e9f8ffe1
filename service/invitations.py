"""Invitations: links that let an innovation's owner declare its partners, without an account.

An invitation token looks like `hxi_<invitation id>_<secret>` (8 hex characters that name the row,
32 random bytes); like API keys (see `service.access`) only its SHA-256 is stored, it is shown once
when created, and it is compared in constant time. A token is scoped to one innovation: it may
read that innovation's declaration form and send declarations for it, and nothing else (the
access guard refuses it everywhere else). It expires (30 days by default) and can be revoked.

The table lives in the access file, beside the API keys, so every API process of a deployment
sees the same invitations whatever the graph store.
"""

from __future__ import annotations

import hmac
import secrets
import sqlite3
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from pydantic import BaseModel, Field

from graph.errors import NotFound
from graph.models import Page
from service.access import AccessStore, hash_key

INVITATION_PREFIX = "hxi_"
DEFAULT_DAYS = 30
MAX_DAYS = 365

_SCHEMA = """
CREATE TABLE IF NOT EXISTS invitations (
    id TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL,
    innovation_id TEXT NOT NULL,
    created_by TEXT,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    revoked_at TEXT,
    answered_at TEXT
);
CREATE INDEX IF NOT EXISTS invitations_innovation ON invitations (innovation_id);
"""


class InvitationStatus(StrEnum):
    """Where an invitation stands: open (usable, nothing sent yet), answered (a declaration came
    in; still usable until it expires), expired or revoked."""

    OPEN = "open"
    ANSWERED = "answered"
    EXPIRED = "expired"
    REVOKED = "revoked"


class Invitation(BaseModel):
    """An invitation as listed (never its token)."""

    id: str = Field(description="Public part of the token, after `hxi_`.", examples=["3f9a0c1e"])
    innovation_id: str = Field(description="The one innovation the token may declare for.")
    created_by: str | None = Field(None, description="Key that created it (null: auth off).")
    created_at: datetime = Field(description="When it was created (UTC).")
    expires_at: datetime = Field(description="When the token stops working (UTC).")
    revoked_at: datetime | None = Field(None, description="When it was revoked, if it was.")
    answered_at: datetime | None = Field(None, description="When the last declaration came in.")
    status: InvitationStatus = Field(description="open, answered, expired or revoked.")


class CreatedInvitation(BaseModel):
    """A new invitation with its token and link: shown only now, never again."""

    id: str = Field(description="Invitation id (public part of the token).", examples=["3f9a0c1e"])
    innovation_id: str = Field(description="The innovation it is for.")
    token: str = Field(description="The secret token (`hxi_...`); only its hash is stored.")
    url: str = Field(description="The declaration page for the owner: `<base>/declare/<token>`.")
    expires_at: datetime = Field(description="When the token stops working (UTC).")


class TokenRefused(Exception):
    """A presented invitation token cannot be used; `status` 401, and a message saying why."""

    def __init__(self, message: str, status: int = 401) -> None:
        super().__init__(message)
        self.status = status


def is_invitation_token(token: str) -> bool:
    """Whether a presented bearer token is an invitation token (not an API key)."""
    return token.startswith(INVITATION_PREFIX)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")


def _status(row: sqlite3.Row, now: datetime) -> InvitationStatus:
    if row["revoked_at"] is not None:
        return InvitationStatus.REVOKED
    if datetime.fromisoformat(row["expires_at"]) <= now:
        return InvitationStatus.EXPIRED
    return InvitationStatus.ANSWERED if row["answered_at"] else InvitationStatus.OPEN


def _invitation(row: sqlite3.Row, now: datetime) -> Invitation:
    fields = {k: v for k, v in dict(row).items() if k != "token_hash"}
    return Invitation.model_validate({**fields, "status": _status(row, now)})


class InvitationStore:
    """Invitations in the access file; a short connection per call (like the keys)."""

    def __init__(self, access: AccessStore) -> None:
        self.access = access
        with access.connect() as conn:
            conn.executescript(_SCHEMA)

    def create(
        self,
        innovation_id: str,
        created_by: str | None,
        base_url: str,
        days: int = DEFAULT_DAYS,
        now: datetime | None = None,
    ) -> CreatedInvitation:
        """A new invitation for `innovation_id` (which the caller has checked exists)."""
        now = now or datetime.now(UTC)
        invitation_id = secrets.token_hex(4)
        token = f"{INVITATION_PREFIX}{invitation_id}_{secrets.token_urlsafe(32)}"
        expires_at = now + timedelta(days=days)
        with self.access.connect() as conn:
            conn.execute(
                "INSERT INTO invitations (id, token_hash, innovation_id, created_by, created_at,"
                " expires_at) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    invitation_id,
                    hash_key(token),
                    innovation_id,
                    created_by,
                    _iso(now),
                    _iso(expires_at),
                ),
            )
        return CreatedInvitation(
            id=invitation_id,
            innovation_id=innovation_id,
            token=token,
            url=f"{base_url.rstrip('/')}/declare/{token}",
            expires_at=expires_at,
        )

    def find(
        self,
        innovation_id: str | None,
        status: InvitationStatus | None,
        limit: int,
        offset: int,
        now: datetime | None = None,
    ) -> Page[Invitation]:
        """Invitations, newest first, optionally of one innovation and in one status."""
        now = now or datetime.now(UTC)
        where, params = "", []
        if innovation_id is not None:
            where, params = " WHERE innovation_id = ?", [innovation_id]
        with self.access.connect() as conn:
            rows = conn.execute(
                f"SELECT * FROM invitations{where} ORDER BY created_at DESC, id", params
            ).fetchall()
        items = [_invitation(row, now) for row in rows]
        if status is not None:
            items = [i for i in items if i.status is status]
        return Page[Invitation](
            items=items[offset : offset + limit], total=len(items), limit=limit, offset=offset
        )

    def get(self, invitation_id: str, now: datetime | None = None) -> Invitation:
        """One invitation, or NotFound."""
        with self.access.connect() as conn:
            row = conn.execute(
                "SELECT * FROM invitations WHERE id = ?", (invitation_id,)
            ).fetchone()
        if row is None:
            raise NotFound(f"no invitation {invitation_id!r}")
        return _invitation(row, now or datetime.now(UTC))

    def revoke(self, invitation_id: str) -> Invitation:
        """Revoke an invitation: its link stops working at once, in every process."""
        with self.access.connect() as conn:
            conn.execute(
                "UPDATE invitations SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                (_iso(datetime.now(UTC)), invitation_id),
            )
        return self.get(invitation_id)

    def mark_answered(self, invitation_id: str) -> None:
        """Record that a declaration came in through this invitation."""
        with self.access.connect() as conn:
            conn.execute(
                "UPDATE invitations SET answered_at = ? WHERE id = ?",
                (_iso(datetime.now(UTC)), invitation_id),
            )

    def resolve(self, token: str, now: datetime | None = None) -> Invitation:
        """The usable invitation of `token`; TokenRefused (401) saying why otherwise."""
        now = now or datetime.now(UTC)
        invitation_id, _, secret = token[len(INVITATION_PREFIX) :].partition("_")
        if not invitation_id or not secret:
            raise TokenRefused("malformed invitation token; use the whole link you were sent")
        with self.access.connect() as conn:
            row = conn.execute(
                "SELECT * FROM invitations WHERE id = ?", (invitation_id,)
            ).fetchone()
        if row is None or not hmac.compare_digest(row["token_hash"], hash_key(token)):
            raise TokenRefused("unknown invitation token; use the whole link you were sent")
        invitation = _invitation(row, now)
        if invitation.status is InvitationStatus.REVOKED:
            raise TokenRefused("this invitation was revoked; ask Bappedalitbang for a new link")
        if invitation.status is InvitationStatus.EXPIRED:
            raise TokenRefused(
                f"this invitation expired on {invitation.expires_at:%Y-%m-%d}; "
                "ask Bappedalitbang for a new link"
            )
        return invitation
