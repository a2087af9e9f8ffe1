"""The `hexahelix` command line: serve, seed, import, export, stats.

Exit codes: 0 success, 2 bad input (with each problem on stderr), 1 any other failure.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from contextlib import closing
from datetime import date
from pathlib import Path

from tqdm import tqdm

from graph.bundle import load_seed, read_bundle, write_csv_dir, write_json
from graph.errors import HexahelixError, Invalid
from graph.store import Store
from graph.vocab import Helix
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

    load = commands.add_parser("import", help="import a bundle: a CSV folder or a JSON file")
    load.add_argument("path", type=Path)
    load.add_argument(
        "--replace", action="store_true", help="empty the store first (in the same run)"
    )
    load.set_defaults(handler=_import)

    export = commands.add_parser("export", help="export the graph as JSON or a CSV folder")
    export.add_argument("--format", choices=["json", "csv"], default="json")
    export.add_argument("--region", help="only this region (and the regions inside it)")
    export.add_argument(
        "--out", type=Path, required=True, help="file (json) or folder (csv) to write"
    )
    export.set_defaults(handler=_export)

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
    uvicorn.run(create_app(settings), host=host, port=port, log_level=settings.log_level.lower())
    return EXIT_OK


def _seed(args: argparse.Namespace, settings: Settings) -> int:
    data = load_seed()
    with closing(open_store(settings)) as store:
        if args.if_empty and not store.is_empty():
            print("store is not empty: seed skipped")
            return EXIT_OK
        written = store.load(data)
    print("seeded: " + ", ".join(f"{count} {kind}" for kind, count in written.items()))
    return EXIT_OK


def _progress(rows: Iterable[dict[str, str]], name: str) -> Iterable[dict[str, str]]:
    return tqdm(rows, desc=name, unit=" rows", disable=None, leave=False, file=sys.stderr)


def _import(args: argparse.Namespace, settings: Settings) -> int:
    path: Path = args.path
    if not path.exists():
        raise Invalid(f"{path}: no such file or folder")
    bundle = read_bundle(path, progress=_progress)
    with closing(open_store(settings)) as store:
        try:
            if args.replace:
                store.clear()
            written = store.load(bundle.data)
        except Invalid as error:
            raise Invalid(str(error), [bundle.explain(p) for p in error.problems]) from error
    print("imported: " + ", ".join(f"{count} {kind}" for kind, count in written.items()))
    return EXIT_OK


def _export(args: argparse.Namespace, settings: Settings) -> int:
    with closing(open_store(settings)) as store:
        data = store.snapshot(args.region)
    if args.format == "json":
        write_json(data, args.out)
    else:
        write_csv_dir(data, args.out)
    print(f"exported to {args.out}: " + ", ".join(f"{n} {k}" for k, n in data.counts().items()))
    return EXIT_OK


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
