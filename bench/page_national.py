"""The page in headless Chromium on the national graph: time to the first view, long tasks.

    python -m bench.page_national --data DIR [--seconds 10] [--regions 81.03,13.73]

DIR is an embedded store with the national graph already imported; it is copied to a temporary
folder first and never changed. The results file names the store it served (path and inode), so
the copy's kept answers are forgotten: `hexahelix worker --once` computes them again on the copy
(the whole country, the default region's map and layout) before `hexahelix serve` starts, as
after a deployment. Debian Chromium (tests/browser/conftest.py) then opens the page at 1440x900 for the default region and for "Seluruh Indonesia" (`region=id`):

1. the time from navigation start to `document.body.dataset.mapReady === 'true'` (the map
   drawn: a region over the draw limit as its communities, a large map's drawing cached in
   cytoscape's layer textures) and to the next frame; then to `dataset.ready === 'true'` (the
   hidden dashboard loaded after it, which the page defers until the map is drawn);
2. every long task (PerformanceObserver `longtask`, buffered) while loading, each placed after
   the last API answer that ended before it started (which phase it belongs to);
3. then about `--seconds` of panning (mouse drags on the map), wheel zooms and the + / − buttons:
   the count and the longest of the long tasks meanwhile;
4. when the region came by community: a click on the largest community in the list, the time
   to its map drawn (`data-community-drawn`) and painted, and `--seconds` of panning and zooming
   it.

`--regions` measures more regions the same way, each after its layout is kept (asked until the
worker has computed it: how long that took is recorded beside, as `layout_first_asked_s`).

Target (issue 13): the default view in ≤ 3 s, no long task over 200 ms while panning and zooming.
Writes bench/results/page-national-embedded.json.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from bench import machine
from bench.live import RESULTS
from bench.restart import computed_copy
from bench.server import Service
from tests.browser.conftest import CHROMIUM, LAUNCH_ARGS

FIRST_VIEW_TARGET_MS = 3000.0
LONG_TASK_TARGET_MS = 200.0
READY_TIMEOUT_MS = 300_000

# Runs before the page's own scripts: records long tasks and the moment the view is ready.
PROBE = """
window.__longtasks = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) window.__longtasks.push({start: e.startTime, ms: e.duration});
}).observe({type: "longtask", buffered: true});
window.__readyAt = null;
window.__paintedAt = null;
window.__mapReadyAt = null;
window.__mapPaintedAt = null;
new MutationObserver(() => {
  if (window.__mapReadyAt === null && document.body && document.body.dataset.mapReady === "true") {
    window.__mapReadyAt = performance.now();
    requestAnimationFrame(() => requestAnimationFrame(() => {
      window.__mapPaintedAt = performance.now();
    }));
  }
  if (window.__readyAt === null && document.body && document.body.dataset.ready === "true") {
    window.__readyAt = performance.now();
    requestAnimationFrame(() => requestAnimationFrame(() => {
      window.__paintedAt = performance.now();
    }));
  }
}).observe(document, {attributes: true, subtree: true,
                      attributeFilter: ["data-ready", "data-map-ready"]});
"""

# The API answers of the page so far: path and when each ended (ms since navigation start).
ANSWERS = """
() => performance.getEntriesByType("resource")
  .filter((e) => e.name.includes("/api/"))
  .map((e) => ({path: new URL(e.name).pathname + new URL(e.name).search,
                start: e.startTime, end: e.responseEnd}))
"""


def _phase(task: dict[str, float], answers: list[dict[str, Any]], ready: float | None) -> str:
    """The phase a long task falls in: after the last API answer that ended before it."""
    if ready is not None and task["start"] >= ready:
        return "after ready"
    before = [a for a in answers if a["end"] <= task["start"]]
    if not before:
        return "before any API answer (page scripts)"
    last = max(before, key=lambda a: a["end"])
    return f"after {last['path']}"


def _interact(page: Any, seconds: float) -> list[tuple[str, float]]:
    """Pan (drags), wheel zooms and the + / − buttons on the map for about `seconds`: when
    each gesture began (ms since navigation start), to tell which one a long task follows."""
    box = page.locator("#cy").bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    marks: list[tuple[str, float]] = []

    def mark(kind: str) -> None:
        marks.append((kind, page.evaluate("() => performance.now()")))

    deadline = time.monotonic() + seconds
    step = 0
    while time.monotonic() < deadline:
        dx, dy = (160, 90) if step % 2 == 0 else (-160, -90)
        page.mouse.move(cx, cy)
        mark("pan (drag)")
        page.mouse.down()
        page.mouse.move(cx + dx, cy + dy, steps=12)
        page.mouse.up()
        page.mouse.move(cx + dx / 2, cy + dy / 2)
        mark("wheel zoom")
        page.mouse.wheel(0, -100 if step % 4 < 2 else 100)
        page.wait_for_timeout(150)
        mark("+ / − button")
        page.click("#map-zoom-in" if step % 2 == 0 else "#map-zoom-out")
        page.wait_for_timeout(200)
        step += 1
    page.wait_for_timeout(500)  # the last animation and its long tasks, if any
    return marks


def _by_gesture(tasks: list[dict[str, float]], marks: list[tuple[str, float]]) -> dict[str, Any]:
    """Long tasks grouped by the gesture begun last before each started."""
    groups: dict[str, list[float]] = {kind: [] for kind, _ in marks}
    for task in tasks:
        before = [m for m in marks if m[1] <= task["start"]]
        kind = max(before, key=lambda m: m[1])[0] if before else marks[0][0]
        groups[kind].append(task["ms"])
    return {
        kind: {
            "gestures": sum(m[0] == kind for m in marks),
            "long_tasks": len(ms),
            "max_ms": round(max(ms, default=0.0), 1),
        }
        for kind, ms in groups.items()
    }


def _view(browser: Any, base: str, region: str | None, seconds: float) -> dict[str, Any]:
    """One view loaded in a fresh context, then panned and zoomed."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.add_init_script(PROBE)
    url = base + "/" + (f"?region={region}" if region else "")
    try:
        started = time.perf_counter()
        page.goto(url)
        page.wait_for_function(
            "() => ['true', 'error'].includes(document.body.dataset.ready)",
            timeout=READY_TIMEOUT_MS,
        )
        wall_ms = (time.perf_counter() - started) * 1000
        page.wait_for_function("() => window.__paintedAt !== null", timeout=10_000)
        ready = page.evaluate("() => window.__readyAt")
        painted = page.evaluate("() => window.__paintedAt")
        map_ready = page.evaluate("() => window.__mapReadyAt")
        map_painted = page.evaluate("() => window.__mapPaintedAt")
        state = page.evaluate(
            """() => ({
              ready: document.body.dataset.ready,
              region: document.getElementById('region').value,
              canvas: !!document.querySelector('#cy canvas'),
              status: document.getElementById('status').textContent.trim(),
              choices: [...document.querySelectorAll('#region option')].map((o) => o.value),
            })"""
        )
        answers = page.evaluate(ANSWERS)
        loading = page.evaluate("() => window.__longtasks.slice()")
        result: dict[str, Any] = {
            "region": state["region"],
            "status_line": state["status"],
            "ready_flag": state["ready"],
            "map_mode": page.evaluate("() => document.body.dataset.mapMode || 'nodes'"),
            "map_ready_ms_since_navigation": _ms(map_ready),
            "map_painted_ms_since_navigation": _ms(map_painted),
            "ready_ms_since_navigation": round(ready, 1) if ready is not None else None,
            "painted_ms_since_navigation": round(painted, 1) if painted is not None else None,
            "wall_ms_goto_to_ready": round(wall_ms, 1),
            "map_drawn": state["canvas"],
            "has_whole_country_choice": "id" in state["choices"],
            "api_answers": [
                {k: round(v, 1) if isinstance(v, float) else v for k, v in a.items()}
                for a in answers
            ],
            "loading_long_tasks": [
                {
                    "start_ms": round(t["start"], 1),
                    "ms": round(t["ms"], 1),
                    "phase": _phase(t, answers, ready),
                }
                for t in loading
            ],
        }
        if state["canvas"]:
            result |= _gestures(page, seconds)
        if result["map_mode"] == "communities":
            result["largest_community"] = _drill(page, seconds)
        result["page_errors"] = errors
        return result
    finally:
        context.close()


def _ms(value: float | None) -> float | None:
    return round(value, 1) if value is not None else None


def _gestures(page: Any, seconds: float) -> dict[str, Any]:
    """About `seconds` of panning and zooming: the long tasks meanwhile."""
    begun = page.evaluate("() => performance.now()")
    marks = _interact(page, seconds)
    tasks = [t for t in page.evaluate("() => window.__longtasks.slice()") if t["start"] >= begun]
    during = [t["ms"] for t in tasks]
    return {
        "gestures": {kind: sum(m[0] == kind for m in marks) for kind, _ in marks},
        "interaction_long_tasks": {
            "count": len(during),
            "max_ms": round(max(during), 1) if during else 0.0,
            "over_200_ms": sum(ms > LONG_TASK_TARGET_MS for ms in during),
            "all_ms": [round(ms, 1) for ms in sorted(during, reverse=True)],
            "by_gesture": _by_gesture(tasks, marks),
        },
    }


def _drill(page: Any, seconds: float) -> dict[str, Any]:
    """Open the largest community from the list (a click, as a person), time it to drawn (the
    page's `data-community-drawn`, its drawing cached) and to the next frame, then pan and zoom
    it for about `seconds`."""
    page.locator("#community-list").scroll_into_view_if_needed()
    largest = page.evaluate("() => window.hexahelix.state.overview.communities[0]")
    begun = page.evaluate("() => performance.now()")
    page.locator(f"[data-testid=community-button][data-community='{largest['id']}']").click()
    page.wait_for_function(
        "(id) => document.body.dataset.communityDrawn === String(id)",
        arg=largest["id"],
        timeout=READY_TIMEOUT_MS,
    )
    drawn = page.evaluate(
        """() => new Promise((done) => { const at = performance.now();
             requestAnimationFrame(() => requestAnimationFrame(() =>
               done([at, performance.now()]))); })"""
    )
    loading = [t for t in page.evaluate("() => window.__longtasks.slice()") if t["start"] >= begun]
    nodes = page.evaluate(
        "() => [window.hexahelix.cy.nodes('.actor').length, "
        "window.hexahelix.cy.nodes('.innovation').length, window.hexahelix.cy.edges().length]"
    )
    return {
        "community": largest["id"],
        "actors": nodes[0],
        "innovations": nodes[1],
        "ties_drawn": nodes[2],
        "drawn_ms_after_click": round(drawn[0] - begun, 1),
        "painted_ms_after_click": round(drawn[1] - begun, 1),
        "loading_long_tasks_ms": [round(t["ms"], 1) for t in loading],
    } | _gestures(page, seconds)


def run(data: Path, seconds: float, regions: tuple[str, ...] = ()) -> dict[str, Any]:
    """Serve a copy of `data`, measure the default view, the whole country's and `regions`'."""
    from playwright.sync_api import sync_playwright

    started_machine = machine.machine()
    with tempfile.TemporaryDirectory(prefix="hexahelix-page-") as name:
        tmp = Path(name)
        env, worker = computed_copy(data, tmp)
        service = Service(env, tmp / "serve.log")
        try:
            service.wait_ready(timeout=600)
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS
                )
                try:
                    views = {"default": _view(browser, service.base, None, seconds)}
                    print("default", _brief(views["default"]), flush=True)
                    if views["default"]["has_whole_country_choice"]:
                        views["whole_country"] = _view(browser, service.base, "id", seconds)
                        print("whole country", _brief(views["whole_country"]), flush=True)
                    for region in regions:
                        cold = _kept_layout(service.base, region)
                        views[region] = _view(browser, service.base, region, seconds) | cold
                        print(region, cold, _brief(views[region]), flush=True)
                finally:
                    browser.close()
        finally:
            service.stop()
    default = views["default"]
    during = default.get("interaction_long_tasks", {})
    return {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": started_machine,
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        "versions": machine.versions() | {"chromium": str(CHROMIUM)},
        "command": f"python -m bench.page_national --data {data} --seconds {seconds:g}"
        + (f" --regions {','.join(regions)}" if regions else ""),
        "worker_once_on_the_copy": worker,
        "viewport": "1440x900",
        "views": views,
        "targets": {
            "default_view_ms": FIRST_VIEW_TARGET_MS,
            "long_task_while_panning_zooming_ms": LONG_TASK_TARGET_MS,
        },
        "met": {
            "default_view": default["ready_flag"] == "true"
            and (default["map_painted_ms_since_navigation"] or 1e9) <= FIRST_VIEW_TARGET_MS,
            "no_long_task_over_200_ms_while_panning_zooming": bool(during)
            and during["max_ms"] <= LONG_TASK_TARGET_MS
            and all(
                d["interaction_long_tasks"]["max_ms"] <= LONG_TASK_TARGET_MS
                for d in [default.get("largest_community")]
                if d
            ),
        },
    }


def _kept_layout(base: str, region: str) -> dict[str, Any]:
    """Ask the region's layout until the worker has kept it (503 meanwhile), so that the page
    is timed drawing it, not waiting for it: the worker keeps only the default region's ahead,
    another one's first layout is computed when first asked (seconds to minutes)."""
    started = time.perf_counter()
    asks = 0
    with httpx.Client(timeout=600) as client:
        while True:
            asks += 1
            answer = client.get(f"{base}/api/v1/layout", params={"region": region})
            if answer.status_code != 503:
                answer.raise_for_status()
                break
            time.sleep(1)
    return {"layout_first_asked_s": round(time.perf_counter() - started, 1), "layout_asks": asks}


def _brief(view: dict[str, Any]) -> dict[str, Any]:
    """The headline figures of one view, for the console."""
    loading = [t["ms"] for t in view["loading_long_tasks"]]
    return {
        "region": view["region"],
        "map_mode": view["map_mode"],
        "map_painted_ms": view["map_painted_ms_since_navigation"],
        "ready_ms": view["ready_ms_since_navigation"],
        "painted_ms": view["painted_ms_since_navigation"],
        "map_drawn": view["map_drawn"],
        "loading_long_tasks": len(loading),
        "loading_longest_ms": max(loading, default=0.0),
        "interaction": view.get("interaction_long_tasks", {}).get("max_ms"),
        "interaction_count": view.get("interaction_long_tasks", {}).get("count"),
        "largest_community": {
            k: v
            for k, v in (view.get("largest_community") or {}).items()
            if k not in ("gestures", "interaction_long_tasks")
        }
        | {
            "interaction_max_ms": (view.get("largest_community") or {})
            .get("interaction_long_tasks", {})
            .get("max_ms")
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.page_national")
    parser.add_argument("--data", type=Path, required=True, help="a national embedded data dir")
    parser.add_argument("--seconds", type=float, default=10.0, help="panning and zooming time")
    parser.add_argument(
        "--regions",
        default="",
        help="more regions to measure the same way, comma-separated codes (e.g. the largest "
        "one still drawn node by node, to check the draw limit)",
    )
    args = parser.parse_args(argv)
    result = run(args.data, args.seconds, tuple(r for r in args.regions.split(",") if r))
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / "page-national-embedded.json"
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps({k: result[k] for k in ("machine", "targets", "met")}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
