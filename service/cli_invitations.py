"""`hexahelix invitations`: invite many innovation owners at once and write a CSV of links to send;
list and revoke invitations. The links are shown once (only their hashes are stored)."""

from __future__ import annotations

import argparse
import csv
import sys
from contextlib import closing
from pathlib import Path
from typing import Any

from graph.errors import Invalid, NotFound
from graph.store import InnovationFilter, PageRequest, Store
from service.invitations import DEFAULT_DAYS, MAX_DAYS, InvitationStatus, InvitationStore
from service.private_files import open_private
from service.settings import Settings

EXIT_OK = 0
CSV_COLUMNS = ["innovation_id", "innovation_name", "owner", "url", "expires_at"]


def register(commands: Any) -> None:
    """Add the `invitations` command to the CLI's subcommands."""
    invitations = commands.add_parser(
        "invitations", help="invite innovation owners to declare their partners (links, once)"
    )
    actions = invitations.add_subparsers(required=True, metavar="ACTION")
    create = actions.add_parser(
        "create", help="create invitations and write their links to a CSV file"
    )
    which = create.add_mutually_exclusive_group(required=True)
    which.add_argument("--innovation", action="append", metavar="ID", help="an innovation id")
    which.add_argument("--region", help="every innovation of this region code (e.g. 63.03)")
    which.add_argument("--all", action="store_true", help="every innovation")
    create.add_argument(
        "--days",
        type=int,
        default=DEFAULT_DAYS,
        help=f"days until the links expire (1..{MAX_DAYS})",
    )
    create.add_argument(
        "--base-url", required=True, help="the service's public address, e.g. https://hexahelix.id"
    )
    create.add_argument("--out", type=Path, required=True, help="CSV file of links to write")
    create.add_argument("--by", default="cli", help="name recorded as the inviter")
    create.set_defaults(handler=_create)
    listing = actions.add_parser("list", help="list invitations (never their links)")
    listing.add_argument("--innovation", help="of this innovation")
    listing.add_argument("--status", type=InvitationStatus, choices=list(InvitationStatus))
    listing.set_defaults(handler=_list)
    revoke = actions.add_parser("revoke", help="revoke an invitation by id, at once")
    revoke.add_argument("id")
    revoke.set_defaults(handler=_revoke)


def _store(settings: Settings) -> InvitationStore:
    from service.compose import open_access

    return InvitationStore(open_access(settings))


def _innovations(store: Store, args: argparse.Namespace) -> list[tuple[str, str, str | None]]:
    """(id, name, owner id) of the chosen innovations; NotFound for an unknown id."""
    if args.innovation:
        found = [store.get_innovation(i) for i in dict.fromkeys(args.innovation)]
        return [(i.id, i.name, i.owner_id) for i in found]
    chosen: list[tuple[str, str, str | None]] = []
    filters = InnovationFilter(region=args.region)
    while True:
        page = store.list_innovations(filters, PageRequest(limit=500, offset=len(chosen)))
        chosen.extend((i.id, i.name, i.owner_id) for i in page.items)
        if not page.items or len(chosen) >= page.total:
            return chosen


def _create(args: argparse.Namespace, settings: Settings) -> int:
    if not 1 <= args.days <= MAX_DAYS:
        raise Invalid(f"--days: {args.days} is not between 1 and {MAX_DAYS}")
    if not args.base_url.startswith(("http://", "https://")):
        raise Invalid(f"--base-url: {args.base_url!r} must start with http:// or https://")
    from service.compose import open_store

    with closing(open_store(settings)) as store:
        try:
            chosen = _innovations(store, args)
        except NotFound as error:
            raise Invalid(f"--innovation: {error}") from error
        owners = {}
        for _, _, owner in chosen:
            if owner and owner not in owners:
                try:
                    owners[owner] = store.get_actor(owner).name
                except NotFound:
                    owners[owner] = owner
    if not chosen:
        raise Invalid("no innovation matches: nothing to invite")
    invitations = _store(settings)
    # Write to a temporary file first: a half-written CSV would lose links shown only once.
    partial = args.out.with_name(args.out.name + ".partial")
    with open_private(partial) as handle:  # the file holds live links: mode 0600 from the start
        writer = csv.writer(handle)
        writer.writerow(CSV_COLUMNS)
        for innovation_id, name, owner in chosen:
            created = invitations.create(innovation_id, args.by, args.base_url, args.days)
            writer.writerow(
                [
                    innovation_id,
                    name,
                    owners.get(owner or "", ""),
                    created.url,
                    f"{created.expires_at:%Y-%m-%d}",
                ]
            )
    partial.replace(args.out)
    print(f"{len(chosen)} invitation(s) written to {args.out} (the links are shown only there)")
    return EXIT_OK


def _list(args: argparse.Namespace, settings: Settings) -> int:
    page = _store(settings).find(args.innovation, args.status, 100_000, 0)
    for i in page.items:
        print(f"{i.id}  {i.innovation_id:<40} {i.status.value:<9} expires {i.expires_at:%Y-%m-%d}")
    print(f"{page.total} invitation(s)", file=sys.stderr)
    return EXIT_OK


def _revoke(args: argparse.Namespace, settings: Settings) -> int:
    try:
        revoked = _store(settings).revoke(args.id)
    except NotFound as error:
        raise Invalid(str(error)) from error
    print(f"revoked invitation {revoked.id} ({revoked.innovation_id})")
    return EXIT_OK
