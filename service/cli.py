"""The `hexahelix` command line: serve, seed, import, export, stats, keys, synth.

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

from tqdm import tqdm

from graph.analytics.schemas import InnovationMetrics
from graph.bundle import load_seed
from graph.errors import HexahelixError, Invalid
from graph.formats import FORMAT_HELP, Format, read_path, write_export
from graph.integrity import bundle_problems
from graph.models import GraphData
from graph.store import Store
from graph.vocab import Helix
from service.access import AccessStore, Role
from service.settings import Settings, get_settings
from service.stores import open_store

EXIT_OK, EXIT_FAILURE, EXIT_BAD_INPUT = 0, 1, 2
ALL_KINDS = len(Helix) + 1  # a coverage threshold above any coverage lists every innovation


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    parser = _parser()
    args = parser.parse_args(argv)
    settings = get_settings()
    handler: Callable[[argparse.Namespace, Settings], int] = args.handler
    try:
        return handler(args, settings)
    except Invalid as error:
        _err(f"error: {error}")
        for problem in error.problems:
            _err(f"  {problem}")
        return EXIT_BAD_INPUT
    except HexahelixError as error:
        _err(f"error: {error}")
        return EXIT_FAILURE


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hexahelix", description="Hexahelix collaboration graph service."
    )
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", help="run the HTTP service")
    serve.add_argument("--host", help="address to listen on (default HEXAHELIX_HOST)")
    serve.add_argument("--port", type=int, help="port to listen on (default HEXAHELIX_PORT)")
    serve.set_defaults(handler=_serve)

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
        "--replace", action="store_true", help="empty the store first (in the same run)"
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
        "--metrics", action="store_true", help="add today's metrics to innovation nodes"
    )
    export.add_argument(
        "--out",
        type=Path,
        required=True,
        help="file to write (bundle: a CSV folder unless it ends in .json)",
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
    analyze.add_argument("--region", help="only this region (and the regions inside it)")
    analyze.add_argument("--at", type=date.fromisoformat, help="the graph as of this day")
    analyze.add_argument("--limit", type=int, default=20, help="rows to show (default 20)")
    analyze.add_argument(
        "--all", action="store_true", help="every innovation, not only the under-connected"
    )
    analyze.add_argument("--format", choices=["table", "csv", "json"], default="table")
    analyze.add_argument("--out", type=Path, help="write to this file instead of stdout")
    analyze.set_defaults(handler=_analyze)

    stats = commands.add_parser("stats", help="counts by origin, helix kind and coverage")
    stats.add_argument("--json", action="store_true", help="print JSON instead of a table")
    stats.set_defaults(handler=_stats)
    return parser


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from service.app import create_app

    host = args.host or settings.host
    port = args.port or settings.port
    print(f"Hexahelix on http://{host}:{port}/ (store: {settings.store.value})", flush=True)
    logging.basicConfig(
        level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # Our access log line carries the timing, so uvicorn's own is off.
    uvicorn.run(
        create_app(settings),
        host=host,
        port=port,
        log_level=settings.log_level.lower(),
        access_log=False,
    )
    return EXIT_OK


def _seed(args: argparse.Namespace, settings: Settings) -> int:
    data = load_seed()
    with closing(open_store(settings)) as store:
        if args.if_empty and not store.is_empty():
            print("store is not empty: seed skipped")
            return EXIT_OK
        written, seconds = _load(store, data)
    print("seeded: " + _summary(written, seconds))
    return EXIT_OK


def _load(store: Store, data: GraphData) -> tuple[dict[str, int], float]:
    """Load a bundle in one transaction; returns rows written and seconds taken."""
    rows = sum(data.counts().values())
    if rows >= 10_000:
        _err(f"loading {rows:,} rows in one transaction …")
    start = time.perf_counter()
    written = store.load(data)
    return written, time.perf_counter() - start


def _summary(written: dict[str, int], seconds: float) -> str:
    rows = sum(written.values())
    counts = ", ".join(f"{count} {kind}" for kind, count in written.items())
    return f"{counts} ({rows:,} rows in {seconds:.1f} s, {rows / max(seconds, 1e-9):,.0f} rows/s)"


def _progress(rows: Iterable[dict[str, str]], name: str) -> Iterable[dict[str, str]]:
    return tqdm(rows, desc=name, unit=" rows", disable=None, leave=False, file=sys.stderr)


def _import(args: argparse.Namespace, settings: Settings) -> int:
    path: Path = args.path
    if not path.exists():
        raise Invalid(f"{path}: no such file or folder")
    start = time.perf_counter()
    bundle = read_path(path, args.format, progress=_progress)
    _err(f"read and validated {path} in {time.perf_counter() - start:.1f} s")
    with closing(open_store(settings)) as store:
        try:
            if args.replace:
                # The store will be empty, so every reference must resolve inside the bundle:
                # checked before anything is deleted.
                problems = bundle_problems(bundle.data, lambda kind, ids: set())
                if problems:
                    raise Invalid(f"{path}: {len(problems)} problem(s); nothing changed", problems)
                store.clear()
            written, seconds = _load(store, bundle.data)
        except Invalid as error:
            raise Invalid(str(error), [bundle.explain(p) for p in error.problems]) from error
    print("imported: " + _summary(written, seconds))
    return EXIT_OK


def _synth(args: argparse.Namespace, settings: Settings) -> int:
    from graph.synth import generate_raw, write_records

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
    with closing(open_store(settings)) as store:
        data = store.snapshot(args.region)
        metrics = None
        if args.metrics:
            from service.routes.analytics import build_analytics
            from service.routes.research import innovation_metric_attributes

            engine = build_analytics(store, settings)
            metrics = innovation_metric_attributes(engine, args.region)
    write_export(data, args.format, args.out, metrics)
    print(f"exported to {args.out}: " + ", ".join(f"{n} {k}" for k, n in data.counts().items()))
    return EXIT_OK


def _keys_create(args: argparse.Namespace, settings: Settings) -> int:
    key = AccessStore(settings.access_db_path()).create_key(args.name, args.role)
    _err(f"created key {args.name!r} ({args.role}); it is shown only now:")
    print(key)
    return EXIT_OK


def _keys_list(args: argparse.Namespace, settings: Settings) -> int:
    keys = AccessStore(settings.access_db_path()).list_keys()
    if args.json:
        print(json.dumps([k.model_dump(mode="json") for k in keys], indent=2))
        return EXIT_OK
    for k in keys:
        state = f"revoked {k.revoked_at:%Y-%m-%d}" if k.revoked_at else "active"
        print(f"{k.name:<24} {k.role.value:<7} hxh_{k.key_id}_…  {k.created_at:%Y-%m-%d}  {state}")
    return EXIT_OK


def _keys_revoke(args: argparse.Namespace, settings: Settings) -> int:
    AccessStore(settings.access_db_path()).revoke(args.name)
    print(f"revoked key {args.name!r}")
    return EXIT_OK


def _analyze(args: argparse.Namespace, settings: Settings) -> int:
    from service.routes.analytics import build_analytics

    with closing(open_store(settings)) as store:
        rows = build_analytics(store, settings).weakest(
            args.region, args.at, args.limit, only_under_connected=not args.all
        )
    text = format_weakest(rows, args.format)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
        print(f"wrote {len(rows)} innovations to {args.out}")
    else:
        print(text, end="")
    return EXIT_OK


def format_weakest(rows: list[InnovationMetrics], style: str) -> str:
    """The weakest innovations as an aligned table, CSV or JSON."""
    if style == "json":
        return json.dumps([row.model_dump(mode="json") for row in rows], indent=2) + "\n"
    columns = ["id", "index", "coverage", "missing", "reasons"]
    cells = [
        [
            row.id,
            f"{row.sustainability_index:.1f}",
            str(row.coverage),
            " ".join(h.value for h in row.missing),
            "; ".join(row.reasons),
        ]
        for row in rows
    ]
    if style == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(columns)
        writer.writerows(cells)
        return out.getvalue()
    widths = [max(len(c), *(len(r[i]) for r in cells)) for i, c in enumerate(columns[:-1])]
    lines = ["  ".join(c.ljust(w) for c, w in zip(columns, [*widths, 0], strict=True)).rstrip()]
    lines += [
        "  ".join(c.ljust(w) for c, w in zip(r, [*widths, 0], strict=True)).rstrip() for r in cells
    ]
    return "\n".join(lines) + "\n"


def _stats(args: argparse.Namespace, settings: Settings) -> int:
    with closing(open_store(settings)) as store:
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
