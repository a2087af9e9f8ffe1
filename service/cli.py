"""The `hexahelix` command line: serve, worker, seed, import, export, backup, restore, stats,
keys, synth.

Exit codes: 0 success, 2 bad input (with each problem on stderr), 1 any other failure.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import logging
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from contextlib import closing
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from pydantic import ValidationError

from graph.bundle import Bundle, load_seed
from graph.errors import ROLLED_BACK, HexahelixError, Invalid, StoreDamaged
from graph.formats import (
    CSV_TABLES,
    FORMAT_HELP,
    Format,
    csv_table,
    read_path,
    write_export,
)
from graph.importing import load_bundle, refusal
from graph.messages import join_texts
from graph.models import GraphData
from graph.store import (
    ActorFilter,
    CollaborationFilter,
    InnovationFilter,
    PageRequest,
    PartnershipFilter,
    Store,
)
from graph.vocab import DEFAULT_LANG, LANGS, Helix
from service import cli_invitations
from service.access import AccessStore, Role
from service.regions import RegionBook
from service.settings import Settings, StoreKind, get_settings, settings_problems

if TYPE_CHECKING:
    from graph.analytics.innovation_schemas import InnovationMetrics

# service.compose is imported where a command opens a store: it brings the analytics engine
# (numpy, scipy, networkx), which `hexahelix --help` and a mistyped command never need.

EXIT_OK, EXIT_FAILURE, EXIT_BAD_INPUT = 0, 1, 2
ALL_KINDS = len(Helix) + 1  # a coverage threshold above any coverage lists every innovation


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        settings = get_settings()
    except ValidationError as error:
        for problem in settings_problems(error):
            _err(f"error: {problem}")
        return EXIT_BAD_INPUT
    if args.new:
        settings = settings.model_copy(update={"new_store": True})
    handler: Callable[[argparse.Namespace, Settings], int] = args.handler
    try:
        return handler(args, settings)
    except Invalid as error:
        _err(f"error: {error}")
        # A single problem is usually the message itself: said once.
        if error.problems != [str(error)]:
            for problem in error.problems:
                _err(f"  {problem}")
        return EXIT_BAD_INPUT
    except HexahelixError as error:
        _err(f"error: {error}")
        return EXIT_FAILURE
    except OSError as error:
        # A path the user gave that cannot be read or written: name it, no traceback.
        where = f"{error.filename}: " if error.filename else ""
        _err(f"error: {where}{error.strerror or error}")
        return EXIT_BAD_INPUT


class _Parser(argparse.ArgumentParser):
    """Argument errors as one line (with where to find help) instead of the usage block."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def positive_int(text: str) -> int:
    """A whole number of at least 1, for counts such as `--limit`.

    >>> positive_int("3")
    3
    >>> positive_int("0")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: must be a whole number of at least 1, not 0
    """
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, not {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 1, not {value}")
    return value


def _writable_file(path: Path) -> Path:
    """`path` as an output file: its folder must exist and it must not be a folder itself."""
    if path.is_dir():
        raise Invalid(f"--out {path} is a folder; give a file name inside it")
    if not path.parent.is_dir():
        raise Invalid(f"--out {path}: the folder {path.parent} does not exist")
    return path


def _writable_folder(path: Path) -> Path:
    """`path` as an output folder of CSV files: its parent must exist; it may exist already."""
    if path.exists() and not path.is_dir():
        raise Invalid(f"--out {path} is a file; give a folder (or a name ending in .json)")
    if not path.parent.is_dir():
        raise Invalid(f"--out {path}: the folder {path.parent} does not exist")
    return path


def _open(settings: Settings, *, writes: bool = False) -> Store:
    """Open the configured store after saying which it is (on stderr, so stdout stays data).

    A read of an embedded store that does not exist yet is refused (opening would create an
    empty one); a write says that it creates one."""
    from service.compose import describe_store, open_store, store_exists

    where = describe_store(settings)
    if not store_exists(settings):
        if not writes:
            raise Invalid(
                f"no store at {where.removeprefix('embedded ')} (HEXAHELIX_DATA_DIR="
                f"{settings.data_dir}); run `hexahelix seed` or `hexahelix import` first, "
                "or set HEXAHELIX_DATA_DIR to the store you mean"
            )
        _err(f"store: {where} does not exist yet: creating a new, empty store")
    else:
        _err(f"store: {where}")
    return open_store(settings)


def store_counts(store: Store) -> dict[str, int]:
    """How many records of each kind the store holds (page totals, so nothing is read twice)."""
    one = PageRequest(limit=1)
    return {
        "innovations": store.list_innovations(InnovationFilter(), one).total,
        "actors": store.list_actors(ActorFilter(), one).total,
        "collaborations": store.list_collaborations(CollaborationFilter(), one).total,
        "partnerships": store.list_partnerships(PartnershipFilter(), one).total,
    }


def _counts_text(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {kind}" for kind, n in counts.items())


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="hexahelix", description="Hexahelix collaboration graph service.")
    parser.add_argument(
        "--new",
        action="store_true",
        help="accept a 0-byte database file as a new empty store (else it is refused)",
    )
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="run the HTTP service")
    serve.add_argument("--host", help="address to listen on (default HEXAHELIX_HOST)")
    serve.add_argument("--port", type=int, help="port to listen on (default HEXAHELIX_PORT)")
    serve.set_defaults(handler=_serve)

    worker = commands.add_parser(
        "worker",
        help="compute the analytics and map layouts the API processes read",
        epilog="run one worker per store beside API processes started with "
        "HEXAHELIX_ANALYTICS_COMPUTE=off; both share HEXAHELIX_RESULTS_DB "
        "(default <data_dir>/results.sqlite3)",
    )
    worker.add_argument(
        "--poll",
        type=float,
        default=1.0,
        help="seconds between looks at the graph version (default 1)",
    )
    worker.add_argument(
        "--once", action="store_true", help="compute what is out of date once, then exit"
    )
    # `hexahelix serve` starts its worker with its own process id: the worker ends with it.
    worker.add_argument("--parent", type=int, help=argparse.SUPPRESS)
    worker.set_defaults(handler=_worker)

    seed = commands.add_parser("seed", help="load the Banjar seed data (idempotent)")
    seed.add_argument("--if-empty", action="store_true", help="only when the store is empty")
    seed.set_defaults(handler=_seed)

    load = commands.add_parser(
        "import", help="import a graph file (any export format) or a seed-format CSV folder"
    )
    load.add_argument("path", type=Path)
    load.add_argument(
        "--format",
        type=Format,
        choices=list(Format),
        help="the file's format (default: guessed from its content and name)",
    )
    load.add_argument(
        "--replace",
        action="store_true",
        help="replace the whole graph (one transaction: the old graph or the new one, never a mix)",
    )
    load.set_defaults(handler=_import)

    export = commands.add_parser(
        "export",
        help="export the graph",
        epilog="formats: " + "; ".join(f"{f.value}: {text}" for f, text in FORMAT_HELP.items()),
    )
    export.add_argument("--format", type=Format, choices=list(Format), default=Format.JSON)
    export.add_argument("--region", help="only this region (and the regions inside it)")
    export.add_argument(
        "--metrics",
        action="store_true",
        help="add the metrics (as of --at, default today) to innovation and actor nodes",
    )
    export.add_argument(
        "--at", type=date.fromisoformat, help="with --metrics: the metrics as of this day"
    )
    export.add_argument(
        "--table",
        choices=CSV_TABLES,
        help="with --format csv: write this one table as a plain CSV instead of the zip of both",
    )
    export.add_argument(
        "--out",
        type=Path,
        required=True,
        help="file to write (csv: a .zip; bundle: a .json file)",
    )
    export.set_defaults(handler=_export)

    keys = commands.add_parser("keys", help="manage API keys (stored hashed in the access file)")
    key_commands = keys.add_subparsers(required=True, metavar="ACTION")
    create = key_commands.add_parser("create", help="create a key and print it (once)")
    create.add_argument("name")
    create.add_argument("--role", type=Role, choices=list(Role), required=True)
    create.set_defaults(handler=_keys_create)
    listing = key_commands.add_parser("list", help="list keys (names, roles, dates; never keys)")
    listing.add_argument("--json", action="store_true", help="print JSON instead of a table")
    listing.set_defaults(handler=_keys_list)
    revoke = key_commands.add_parser("revoke", help="revoke a key by name, at once")
    revoke.add_argument("name")
    revoke.set_defaults(handler=_keys_revoke)

    cli_invitations.register(commands)

    synth = commands.add_parser(
        "synth",
        help="write a synthetic graph (one regency or the whole country) to import",
        epilog="every record is illustrative, with source `synthetic (hexahelix synth --seed N)`",
    )
    synth.add_argument("--scale", choices=["regional", "national"], default="regional")
    synth.add_argument("--seed", type=int, default=1, help="same seed, same bytes (default 1)")
    synth.add_argument(
        "--out",
        type=Path,
        required=True,
        help="where to write: a CSV folder unless it ends in .json",
    )
    synth.set_defaults(handler=_synth)

    analyze = commands.add_parser(
        "analyze", help="the weakest innovations with their reasons, most urgent first"
    )
    analyze.add_argument(
        "--region",
        help="only this region (and the regions inside it); default HEXAHELIX_PORTFOLIO_REGION "
        "(63.03), `id` for the whole graph",
    )
    analyze.add_argument("--at", type=date.fromisoformat, help="the graph as of this day")
    analyze.add_argument("--limit", type=positive_int, default=20, help="rows to show (default 20)")
    analyze.add_argument(
        "--all", action="store_true", help="every innovation, not only the under-connected"
    )
    analyze.add_argument(
        "--threshold",
        type=int,
        choices=range(1, len(Helix) + 1),
        metavar=f"1..{len(Helix)}",
        help="coverage below this is under-connected (default HEXAHELIX_UNDER_CONNECTED_THRESHOLD)",
    )
    analyze.add_argument("--format", choices=["table", "csv", "json"], default="table")
    analyze.add_argument(
        "--lang", choices=list(LANGS), default=DEFAULT_LANG, help="language of the reasons (id)"
    )
    analyze.add_argument("--out", type=Path, help="write to this file instead of stdout")
    analyze.set_defaults(handler=_analyze)

    backup = commands.add_parser(
        "backup",
        help="write a consistent copy of the graph while the service runs",
        epilog="embedded store: a SQLite file (VACUUM INTO); Neo4j: a JSON bundle read in one "
        "transaction. Keys and the audit trail (the access file) are not included.",
    )
    backup.add_argument("path", type=Path, help="the file to write (replaced if it exists)")
    backup.set_defaults(handler=_backup)
    restore = commands.add_parser(
        "restore",
        help="replace the graph with a backup (one transaction: the old graph or the backup)",
        epilog="takes a backup of either store; a damaged embedded database file is moved "
        "aside (kept) and the backup restored into a new one",
    )
    restore.add_argument("path", type=Path, help="a file written by `hexahelix backup`")
    restore.set_defaults(handler=_restore)

    stats = commands.add_parser("stats", help="counts by origin, helix kind and coverage")
    stats.add_argument("--json", action="store_true", help="print JSON instead of a table")
    stats.set_defaults(handler=_stats)
    return parser


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from service.app import create_app
    from service.compose import compose, describe_store
    from service.settings import Switch
    from service.worker_child import WorkerChild

    host = args.host or settings.host
    port = args.port or settings.port
    # With HEXAHELIX_ANALYTICS_COMPUTE=on (one process serving on its own) the global
    # analytics are computed by `hexahelix worker` in a child process, and this process answers
    # from the results file as an API process beside a worker does: a recompute in a thread of
    # this process would hold the interpreter's lock for minutes on a national graph, and
    # every request would wait for it. `off`: the deployment runs its worker (compose).
    child = WorkerChild() if settings.analytics_compute is Switch.ON else None
    served = settings.model_copy(update={"analytics_compute": Switch.OFF})
    # Composed here, not in the app's lifespan, so a damaged or foreign file is one line and
    # exit code 1 (main), not a traceback from inside the server.
    with compose(served) as services:
        app = create_app(served, services=services)
        app.state.worker = child
        print(f"Hexahelix on http://{host}:{port}/ (store: {describe_store(settings)})", flush=True)
        logging.basicConfig(
            level=settings.log_level.upper(),
            format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        )
        if child is not None:
            child.start()
        try:
            # Our access log line carries the timing, so uvicorn's own is off.
            uvicorn.run(
                app,
                host=host,
                port=port,
                log_level=settings.log_level.lower(),
                access_log=False,
                # The client address comes from X-Forwarded-For only via
                # HEXAHELIX_TRUSTED_PROXIES (service/security.py); uvicorn would believe any
                # local peer's header.
                proxy_headers=False,
            )
        finally:
            if child is not None:
                child.stop()
    return EXIT_OK


def _worker(args: argparse.Namespace, settings: Settings) -> int:
    import signal
    import threading

    from service.worker_child import as_child_of

    if args.poll <= 0:
        _err("error: --poll must be a positive number of seconds")
        return EXIT_BAD_INPUT
    # Before the computing modules are imported (seconds): the child ends with its server from
    # its first moment.
    if args.parent is not None and not as_child_of(args.parent):
        return EXIT_OK  # the server that started this worker is gone already

    from service.compose import describe_store, open_results, open_store
    from service.worker import Worker

    logging.basicConfig(
        level=settings.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    with closing(open_store(settings)) as store:
        results = open_results(settings, store)
        worker = Worker(store, settings, results)
        try:
            print(
                f"Hexahelix worker (store: {describe_store(settings)}, results: "
                f"{settings.results_db_path().resolve()})",
                flush=True,
            )
            if args.once:
                done = worker.run_once()
                print(f"computed {done} result(s)")
                return EXIT_OK
            stop = threading.Event()
            for sig in (signal.SIGTERM, signal.SIGINT):
                signal.signal(sig, lambda *_: stop.set())
            worker.run(args.poll, stop)
        finally:
            worker.close()
            results.close()
    return EXIT_OK


def _seed(args: argparse.Namespace, settings: Settings) -> int:
    data = load_seed()
    with closing(_open(settings, writes=True)) as store:
        before = store_counts(store)
        if args.if_empty and not store.is_empty():
            print(f"store is not empty ({_counts_text(before)}): seed skipped")
            return EXIT_OK
        _err(f"before: {_counts_text(before)}")
        written, seconds = _load(store, data)
        after = store_counts(store)
    print("seeded: " + _summary(written, seconds))
    print(f"the store now holds {_counts_text(after)}")
    return EXIT_OK


def _load(
    store: Store, data: GraphData | Bundle, replace: bool = False
) -> tuple[dict[str, int], float]:
    """Load a bundle in one transaction; returns rows written and seconds taken.

    A failure names the state the store is left in: the one transaction was rolled back.
    """
    bundle = data if isinstance(data, Bundle) else Bundle(data)
    rows = sum(bundle.data.counts().values())
    if rows >= 10_000:
        _err(f"loading {rows:,} rows in one transaction …")
    start = time.perf_counter()
    try:
        written = load_bundle(store, bundle, replace=replace)
    except Invalid:
        raise
    except HexahelixError as error:
        raise type(error)(f"{error}; {ROLLED_BACK}") from error
    return written, time.perf_counter() - start


def _summary(written: dict[str, int], seconds: float) -> str:
    rows = sum(written.values())
    counts = ", ".join(f"{count} {kind}" for kind, count in written.items())
    return f"{counts} ({rows:,} rows in {seconds:.1f} s, {rows / max(seconds, 1e-9):,.0f} rows/s)"


def _progress(rows: Iterable[dict[str, str]], name: str) -> Iterable[dict[str, str]]:
    from tqdm import tqdm  # here: `hexahelix serve` and `worker` never show a progress bar

    return tqdm(rows, desc=name, unit=" rows", disable=None, leave=False, file=sys.stderr)


def _import(args: argparse.Namespace, settings: Settings) -> int:
    path: Path = args.path
    if not path.exists():
        raise Invalid(f"{path}: no such file or folder")
    start = time.perf_counter()
    bundle = read_path(path, args.format, progress=_progress, partial=True)
    seconds = time.perf_counter() - start
    if bundle.problems:
        _err(f"read {path} in {seconds:.1f} s: {bundle.total} invalid value(s); checking the rest")
    else:
        _err(f"read and validated {path} in {seconds:.1f} s")
    from service.compose import describe_store, store_exists

    if not store_exists(settings) and (error := refusal(bundle, None)):
        _err(f"store: {describe_store(settings)} does not exist yet (and is not created)")
        raise error
    with closing(_open(settings, writes=True)) as store:
        _err(f"before: {_counts_text(store_counts(store))}")
        written, seconds = _load(store, bundle, replace=args.replace)
        after = store_counts(store)
    replaced = "replaced the graph with " if args.replace else ""
    print(f"imported: {replaced}" + _summary(written, seconds))
    print(f"the store now holds {_counts_text(after)}")
    return EXIT_OK


def _backup(args: argparse.Namespace, settings: Settings) -> int:
    from graph.backup import write_backup

    start = time.perf_counter()
    with closing(_open(settings)) as store:
        what = write_backup(store, args.path)
    print(f"backed up to {args.path}: {what} ({time.perf_counter() - start:.1f} s)")
    return EXIT_OK


def _restore(args: argparse.Namespace, settings: Settings) -> int:
    from graph.backup import read_backup
    from graph.embedded import set_aside
    from service.compose import open_store

    data = read_backup(args.path)  # checked whole before the store is touched
    try:
        store = _open(settings, writes=True)
    except StoreDamaged as error:
        if settings.store is not StoreKind.EMBEDDED:
            raise
        aside = set_aside(settings.data_dir)
        _err(f"{error}\nmoved the damaged database to {aside}; restoring into a new one")
        store = open_store(settings.model_copy(update={"new_store": True}))
    with closing(store):
        written, seconds = _load(store, data, replace=True)
    print(f"restored {args.path}: the graph now holds " + _summary(written, seconds))
    return EXIT_OK


def _synth(args: argparse.Namespace, settings: Settings) -> int:
    from graph.synth import generate_raw, write_records

    out: Path = args.out
    if out.suffix.lower() == ".json":
        _writable_file(out)
    else:
        _writable_folder(out)
    start = time.perf_counter()
    records = generate_raw(args.scale, args.seed)
    generated = time.perf_counter()
    write_records(records, args.out)
    written = time.perf_counter()
    counts = ", ".join(f"{len(rows)} {kind}" for kind, rows in records.items())
    print(
        f"wrote {args.out}: {counts} (generated in {generated - start:.1f} s, "
        f"written in {written - generated:.1f} s); load it with `hexahelix import {args.out}`"
    )
    return EXIT_OK


def _export(args: argparse.Namespace, settings: Settings) -> int:
    out: Path = args.out
    if args.format is Format.BUNDLE and out.suffix.lower() != ".json":
        raise Invalid(
            f"--out {out}: --format bundle writes one JSON file, the same as GET "
            f"/api/v1/export?format=bundle; name it {out.with_suffix('.json').name}"
        )
    _writable_file(out)
    if args.table and args.format is not Format.CSV:
        raise Invalid(f"--table {args.table} goes with --format csv, not --format {args.format}")
    if args.format is Format.CSV and not args.table and out.suffix.lower() == ".csv":
        raise Invalid(
            f"--out {out}: --format csv writes a zip of nodes.csv and edges.csv; name it "
            f"{out.with_suffix('.zip').name}, or add --table nodes|edges for one plain CSV"
        )
    with closing(_open(settings)) as store:
        region = RegionBook(store).scope(args.region, "--region")
        data = store.snapshot(region)
        metrics = None
        if args.metrics:
            from graph.analytics.exported import node_metric_attributes
            from service.compose import build_analytics

            engine = build_analytics(store, settings)
            metrics = node_metric_attributes(engine, region, args.at)
    if args.table:
        out.write_bytes(csv_table(data, args.table, metrics))
    else:
        write_export(data, args.format, out, metrics)
    print(f"exported to {args.out}: " + ", ".join(f"{n} {k}" for k, n in data.counts().items()))
    return EXIT_OK


def _access(settings: Settings) -> AccessStore:
    from service.compose import open_access

    path = settings.access_db_path().resolve()
    _err(f"access file: {path}")
    return open_access(settings)


def _keys_create(args: argparse.Namespace, settings: Settings) -> int:
    key = _access(settings).create_key(args.name, args.role)
    _err(f"created key {args.name!r} ({args.role}); it is shown only now:")
    print(key)
    return EXIT_OK


def _keys_list(args: argparse.Namespace, settings: Settings) -> int:
    keys = _access(settings).list_keys()
    if args.json:
        print(json.dumps([k.model_dump(mode="json") for k in keys], indent=2))
        return EXIT_OK
    print(f"{'name':<24} {'role':<7} {'key':<24} {'created':<10}  state")
    for k in keys:
        state = f"revoked {k.revoked_at:%Y-%m-%d}" if k.revoked_at else "active"
        shown = f"hxh_{k.key_id}_…"
        print(f"{k.name:<24} {k.role.value:<7} {shown:<24} {k.created_at:%Y-%m-%d}  {state}")
    return EXIT_OK


def _keys_revoke(args: argparse.Namespace, settings: Settings) -> int:
    _access(settings).revoke(args.name)
    print(f"revoked key {args.name!r}")
    return EXIT_OK


def _analyze(args: argparse.Namespace, settings: Settings) -> int:
    from service.compose import build_analytics

    if args.out:
        _writable_file(args.out)
    with closing(_open(settings)) as store:
        region = RegionBook(store).portfolio(args.region, settings.portfolio_region, "--region")
        _err(f"portfolio: {'region ' + region if region else 'the whole graph'}")
        rows = build_analytics(store, settings).weakest(
            region,
            args.at,
            args.limit,
            only_under_connected=not args.all,
            threshold=args.threshold,
        )
    if not rows:
        where = f" in region {args.region}" if args.region else ""
        kind = "innovations" if args.all else "under-connected innovations"
        _err(f"no {kind}{where}" + ("" if args.all else " (--all lists every innovation)"))
    text = format_weakest(rows, args.format, args.lang)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
        print(f"wrote {len(rows)} innovations to {args.out}")
    else:
        print(text, end="")
    return EXIT_OK


def format_weakest(rows: list[InnovationMetrics], style: str, lang: str = DEFAULT_LANG) -> str:
    """The weakest innovations as an aligned table, CSV or JSON, reasons in `lang`."""
    if style == "json":
        dumped = [row.model_dump(mode="json", context={"lang": lang}) for row in rows]
        return json.dumps(dumped, indent=2) + "\n"
    # what is invented or assumed shows next to each innovation, as on the page
    columns = [
        "id",
        "index",
        "coverage",
        "missing",
        "provenance",
        "membership",
        "completeness",
        "reasons",
    ]
    cells = [
        [
            row.id,
            f"{row.sustainability_index:.1f}",
            str(row.coverage),
            " ".join(h.value for h in row.missing),
            row.provenance.value,
            row.membership.value if row.membership else "-",
            "-" if row.data_completeness is None else f"{row.data_completeness:.2f}",
            join_texts(row.reasons, lang),
        ]
        for row in rows
    ]
    if style == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(columns)
        writer.writerows(cells)
        return out.getvalue()
    widths = [max([len(c), *(len(r[i]) for r in cells)]) for i, c in enumerate(columns[:-1])]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, [*widths, 0], strict=True)).rstrip()]
    lines += [
        "  ".join(c.ljust(w) for c, w in zip(r, [*widths, 0], strict=True)).rstrip() for r in cells
    ]
    return "\n".join(lines) + "\n"


def _stats(args: argparse.Namespace, settings: Settings) -> int:
    with closing(_open(settings)) as store:
        figures = collect_stats(store, date.today())
    if args.json:
        print(json.dumps(figures, indent=2))
        return EXIT_OK
    for section, counts in figures.items():
        print(f"{section}:")
        for key, value in counts.items():
            print(f"  {key:<20} {value:>6}")
    return EXIT_OK


def collect_stats(store: Store, at: date) -> dict[str, dict[str, int]]:
    """Innovations by origin and by helix coverage, actors by helix kind."""
    data = store.snapshot()
    coverage = Counter(gap.coverage for gap in store.coverage_gaps(ALL_KINDS, at))
    return {
        "innovations by origin": dict(
            sorted(Counter(i.origin.value for i in data.innovations).items())
        ),
        "actors by helix": {h.value: sum(a.helix is h for a in data.actors) for h in Helix},
        "innovations by coverage": {str(k): coverage.get(k, 0) for k in range(len(Helix) + 1)},
    }


def _err(message: str) -> None:
    print(message, file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
