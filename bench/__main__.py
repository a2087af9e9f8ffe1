"""Run the benchmarks and write bench/results/results.json and bench/results/RESULTS.md.

    python -m bench [--scale regional|national|both] [--stores embedded,neo4j]
                    [--only analytics,load,import,memory] [--seed 1]

Graphs come from `graph.synth` (the same seed gives the same graph). `load` is the API under
load (32 clients); `import` the bulk load into each store; `memory` the peak RSS of the service
after warming the analytics. Neo4j: NEO4J_URI/NEO4J_PASSWORD, else a local server started with
scripts/neo4j-local (and stopped at the end).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from bench import analytics, load, machine, server
from graph.errors import HexahelixError
from graph.formats import read_path
from graph.models import GraphData
from graph.synth import Scale, generate_raw, write_records

RESULTS = Path(__file__).resolve().parent / "results"
SECTIONS = ("analytics", "load", "import", "memory")
COLLABORATION_QUERIES = ("collaborators", "partners", "actor innovations")
P95_TARGET_MS = {"embedded": 20.0, "neo4j": 50.0}
IMPORT_TARGET_S = {"embedded": 60.0, "neo4j": 180.0}
MEMORY_TARGET_MIB = 2048.0


def _log(message: str) -> None:
    print(f"[bench {datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=["regional", "national", "both"], default="both")
    parser.add_argument("--stores", default="embedded,neo4j", help="comma-separated")
    parser.add_argument("--only", default=",".join(SECTIONS), help="comma-separated sections")
    parser.add_argument("--seed", type=int, default=1, help="seed of the synthetic graphs")
    parser.add_argument("--requests", type=int, default=4000, help="requests per load run")
    parser.add_argument("--clients", type=int, default=32, help="concurrent clients of a load run")
    parser.add_argument("--out", type=Path, default=RESULTS, help="folder of the results")
    args = parser.parse_args(argv)
    args.stores = [s for s in args.stores.split(",") if s]
    args.only = [s for s in args.only.split(",") if s]
    for name in args.only:
        if name not in SECTIONS:
            parser.error(f"unknown section {name!r}; choose from {', '.join(SECTIONS)}")
    for name in args.stores:
        if name not in ("embedded", "neo4j"):
            parser.error(f"unknown store {name!r}")
    return args


def _neo4j_version(neo: server.Neo4jServer) -> str | None:
    from neo4j import GraphDatabase

    try:
        with GraphDatabase.driver(neo.uri, auth=(neo.user, neo.password)) as driver:
            records, _, _ = driver.execute_query(
                "CALL dbms.components() YIELD name, versions, edition "
                "RETURN name, versions[0] AS version, edition"
            )
            return " ".join(f"{r['name']} {r['version']} {r['edition']}" for r in records)
    except Exception as error:  # a version is nice to have, not worth failing the run
        return f"unknown ({error})"


def _bundle_formats(records: dict[str, list[dict[str, Any]]], work: Path) -> dict[str, Any]:
    """Write the bundle as a CSV folder and as JSON; time writing and reading (validated)."""
    out: dict[str, Any] = {}
    for name, path in (("csv folder", work / "bundle"), ("json file", work / "bundle.json")):
        start = time.perf_counter()
        write_records(records, path)
        written = time.perf_counter() - start
        size = (
            sum(p.stat().st_size for p in path.iterdir()) if path.is_dir() else path.stat().st_size
        )
        start = time.perf_counter()
        read_path(path)
        read = time.perf_counter() - start
        out[name] = {
            "write_s": round(written, 2),
            "read_and_validate_s": round(read, 2),
            "mib": round(size / 2**20, 1),
        }
    return out


def _import(
    store_kind: str, data: GraphData, work: Path, neo: server.Neo4jServer | None
) -> dict[str, Any]:
    with closing(server.open_store(store_kind, work / "store", neo)) as store:
        store.clear()
        start = time.perf_counter()
        written = store.load(data)
        seconds = time.perf_counter() - start
    rows = sum(written.values())
    return {"rows": rows, "seconds": round(seconds, 2), "rows_per_s": round(rows / seconds)}


def _scale(
    args: argparse.Namespace,
    scale: Scale,
    neo: server.Neo4jServer | None,
    result: dict[str, Any],
    checkpoint: Callable[[], None],
) -> None:
    """Run the sections on one scale, filling `result` and saving after each section."""
    _log(f"{scale}: generating (seed {args.seed})")
    start = time.perf_counter()
    records = generate_raw(scale, args.seed)
    generated = time.perf_counter() - start
    start = time.perf_counter()
    data = GraphData.model_validate(records)
    validated = time.perf_counter() - start
    result["graph"] = {
        "counts": data.counts(),
        "generate_s": round(generated, 2),
        "validate_s": round(validated, 2),
    }
    checkpoint()
    sizes: dict[str, int] = {}
    for inv in data.innovations:
        sizes[inv.region] = sizes.get(inv.region, 0) + 1
    by_size = sorted(sorted(sizes), key=lambda code: sizes[code])
    regions = {"median": by_size[len(by_size) // 2], "largest": by_size[-1]}
    if regions["median"] == regions["largest"]:
        regions = {"only": by_size[-1]}
    work = Path(tempfile.mkdtemp(prefix=f"hexahelix-bench-{scale}-"))
    try:
        if "import" in args.only:
            _log(f"{scale}: bundle formats")
            result["bundle formats"] = _bundle_formats(records, work)
            checkpoint()
        del records
        if "analytics" in args.only:
            _log(f"{scale}: analytics (regions {regions})")
            result["analytics"] = analytics.run(data, scale.value, regions)
            checkpoint()
        for store_kind in args.stores:
            if not ({"import", "load", "memory"} & set(args.only)):
                break
            _log(f"{scale}: importing into {store_kind}")
            try:
                imported = _import(store_kind, data, work, neo)
            except HexahelixError as error:  # e.g. Neo4j's transaction memory limit
                _log(f"{scale}: import into {store_kind} failed: {error}")
                failure: dict[str, Any] = {"rows": 0, "seconds": None, "rows_per_s": 0}
                failure |= {"met": False, "error": str(error)[:300]}
                result.setdefault("import", {})[store_kind] = failure
                checkpoint()
                continue
            if "import" in args.only:
                target = IMPORT_TARGET_S[store_kind]
                imported["target"] = f"< {target:.0f} s" if scale is Scale.NATIONAL else None
                imported["met"] = imported["seconds"] < target if scale is Scale.NATIONAL else None
                result.setdefault("import", {})[store_kind] = imported
                checkpoint()
            if not ({"load", "memory"} & set(args.only)):
                continue
            service = server.Service(
                server.server_env(store_kind, work / "store", neo), work / f"{store_kind}.log"
            )
            try:
                service.wait_ready()
                if "load" in args.only:
                    _log(f"{scale}: API under load on {store_kind}")
                    outcome = load.run_load(
                        service.port, data, requests=args.requests, clients=args.clients
                    )
                    limit = P95_TARGET_MS[store_kind]
                    for row in outcome["rows"]:
                        if row["request"] in COLLABORATION_QUERIES:
                            row["target"] = f"p95 < {limit:.0f} ms, 0 errors"
                            row["met"] = (row["p95_ms"] or 0) < limit and row["errors"] == 0
                    result.setdefault("api", {})[store_kind] = outcome
                    checkpoint()
                if "memory" in args.only:
                    _log(f"{scale}: warming analytics on {store_kind}")
                    start = time.perf_counter()
                    response = httpx.get(f"{service.base}/api/v1/analytics/portfolio", timeout=1800)
                    warm = time.perf_counter() - start
                    rss = service.peak_rss_mib()
                    memory: dict[str, Any] = {
                        "warm_status": response.status_code,
                        "warm_s": round(warm, 1),
                        "peak_rss_mib": rss.get("VmHWM"),
                        "rss_mib": rss.get("VmRSS"),
                    }
                    if scale is Scale.NATIONAL:
                        memory["target"] = "< 2 GiB"
                        memory["met"] = (rss.get("VmHWM") or 0) < MEMORY_TARGET_MIB
                    result.setdefault("memory", {})[store_kind] = memory
                    checkpoint()
            finally:
                service.stop()
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    """Run the chosen sections at the chosen scales; write JSON and Markdown results."""
    args = _parse(argv)
    scales = [Scale.REGIONAL, Scale.NATIONAL] if args.scale == "both" else [Scale(args.scale)]
    command = "python -m bench " + " ".join(sys.argv[1:] if argv is None else argv)
    report: dict[str, Any] = {
        "command": command.strip(),
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine.machine(),
        "versions": machine.versions(),
        "settings": {
            "stores": args.stores,
            "sections": args.only,
            "seed": args.seed,
            "auth": "HEXAHELIX_AUTH=off and HEXAHELIX_RATE_LIMIT_PER_MINUTE=0 for the service",
        },
        "scales": {},
    }
    args.out.mkdir(parents=True, exist_ok=True)

    def checkpoint() -> None:
        report["finished"] = datetime.now(UTC).isoformat(timespec="seconds")
        text = json.dumps(report, indent=2) + "\n"
        (args.out / "results.json").write_text(text, encoding="utf-8")
        (args.out / "RESULTS.md").write_text(render(report), encoding="utf-8")

    neo: server.Neo4jServer | None = None
    needs_store = {"import", "load", "memory"} & set(args.only)
    try:
        if "neo4j" in args.stores and needs_store:
            _log("starting or reaching Neo4j")
            neo = server.neo4j_server()
            report["versions"]["neo4j server"] = _neo4j_version(neo)
        for scale in scales:
            report["scales"][scale.value] = {}
            _scale(args, scale, neo, report["scales"][scale.value], checkpoint)
    finally:
        if neo is not None:
            neo.stop()
        checkpoint()
    _log(f"wrote {args.out / 'results.json'} and {args.out / 'RESULTS.md'}")
    return 0


def _met(value: object) -> str:
    return "" if value is None else ("yes" if value else "**no**")


def _num(value: object) -> str:
    return "" if value is None else str(value)


def render(report: dict[str, Any]) -> str:
    """The results as Markdown tables."""
    m, v = report["machine"], report["versions"]
    lines = [
        "# Hexahelix benchmark results",
        "",
        f"Reproduce: `{report['command']}` (started {report['started']}, finished "
        f"{report.get('finished', '')}).",
        "",
        f"Machine: {m['cores']} cores, {m['ram_gib']} GiB RAM, {m['cpu_model']}; {m['os']}; "
        f"load average at start {m['load_average_at_start']} (other work may share the machine).",
        "",
        "Versions: " + ", ".join(f"{k} {val}" for k, val in v.items() if val) + ".",
        "",
        f"Service: {report['settings']['auth']}. Graphs: `graph.synth`, seed "
        f"{report['settings']['seed']}.",
        "",
    ]
    if report.get("notes"):
        lines += [f"- {note}" for note in report["notes"]] + [""]
    for scale, res in report["scales"].items():
        if "graph" not in res:
            continue
        g = res["graph"]
        counts = ", ".join(f"{n:,} {k}" for k, n in g["counts"].items())
        lines += [
            f"## {scale.capitalize()} graph",
            "",
            f"{counts}; generated in {g['generate_s']} s, validated in {g['validate_s']} s.",
            "",
        ]
        if "bundle formats" in res:
            lines += [
                "### Bundle formats (write, then read and validate as `hexahelix import` does)",
                "",
                "| format | write s | read + validate s | MiB |",
                "|---|---:|---:|---:|",
            ]
            for name, f in res["bundle formats"].items():
                lines.append(
                    f"| {name} | {f['write_s']} | {f['read_and_validate_s']} | {f['mib']} |"
                )
            lines.append("")
        if "analytics" in res:
            a = res["analytics"]
            lines += [
                "### Analytics (project vs python-igraph, same run)",
                "",
                "Graph: " + ", ".join(f"{n:,} {k}" for k, n in a["graph"].items()) + ".",
                "",
                "| measure | seconds | igraph seconds | ratio | note |",
                "|---|---:|---:|---:|---|",
            ]
            for r in a["rows"]:
                lines.append(
                    f"| {r['measure']} | {_num(r['seconds'])} | {_num(r['igraph_seconds'])} | "
                    f"{_num(r['ratio'])} | {r['note']} |"
                )
            if a["targets"]:
                lines += ["", "| target | value | target met |", "|---|---:|---|"]
                for t in a["targets"]:
                    lines.append(f"| {t['target']} | {_num(t['value'])} | {_met(t['met'])} |")
            lines.append("")
        if "import" in res:
            lines += [
                "### Import (store.load of the whole bundle, one transaction)",
                "",
                "| store | rows | seconds | rows/s | target | target met |",
                "|---|---:|---:|---:|---|---|",
            ]
            for store, i in res["import"].items():
                lines.append(
                    f"| {store} | {i['rows']:,} | {_num(i['seconds'])} | {i['rows_per_s']:,} | "
                    f"{_num(i.get('target'))} | {_met(i.get('met'))} |"
                )
                if i.get("error"):
                    lines.append(f"| | | | | failed: {i['error']} | |")
            lines.append("")
        for store, api in res.get("api", {}).items():
            lines += [
                f"### API under load: {store} ({api['clients']} clients, {api['seconds']} s, "
                f"{api['throughput_rps']} requests/s)",
                "",
                "| request | count | errors | p50 ms | p95 ms | p99 ms | target | target met |",
                "|---|---:|---:|---:|---:|---:|---|---|",
            ]
            for r in api["rows"]:
                lines.append(
                    f"| {r['request']} | {r['count']} | {r['errors']} | {_num(r['p50_ms'])} | "
                    f"{_num(r['p95_ms'])} | {_num(r['p99_ms'])} | {_num(r.get('target'))} | "
                    f"{_met(r.get('met'))} |"
                )
            lines.append("")
        if "memory" in res:
            lines += [
                "### Memory of the service after warming the analytics (whole graph)",
                "",
                "| store | warm-up s | peak RSS MiB (VmHWM) | RSS MiB | target | target met |",
                "|---|---:|---:|---:|---|---|",
            ]
            for store, mem in res["memory"].items():
                lines.append(
                    f"| {store} | {mem['warm_s']} (HTTP {mem['warm_status']}) | "
                    f"{_num(mem['peak_rss_mib'])} | {_num(mem['rss_mib'])} | "
                    f"{_num(mem.get('target'))} | {_met(mem.get('met'))} |"
                )
            lines.append("")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
