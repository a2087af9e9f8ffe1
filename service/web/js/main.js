// Wires the page: region selector, as-of day, views (tabs), language, exports and the status line.
import { api, asOf, clearCache, isAborted, isReportedOnly, newView, setAsOf, setReportedOnly, today } from "./api.js";
import { Dashboard } from "./dashboard.js";
import { CollectProgress } from "./collect-progress.js";
import { Explorer } from "./explorer.js";
import { initialLang, lang, onLangChange, setLang, t, translate } from "./i18n.js";
import { NetworkMap } from "./map.js";
import { actorPanel, innovationPanel } from "./panel.js";
import { HELIXES, clear, download, errorText, fillLacks, h, message, toCsv } from "./ui.js";
import { WhatIf } from "./whatif.js";

const VIEWS = ["map", "dashboard", "explorer", "whatif"];
const initial = new URLSearchParams(location.search); // what the URL asked for on arrival
const state = { view: "map", region: null, regions: null, mapData: null, selection: null, ego: null, lacks: [], ready: false };
let loads = 0; // the latest loadRegion call; older ones stop when they see it changed

const status = document.getElementById("status");
const panelBody = document.getElementById("panel-body");
const asOfInput = document.getElementById("as-of");
const depthSelect = document.getElementById("ego-depth");
const egoInfo = document.getElementById("ego-info");
const workspace = document.getElementById("workspace");
const panel = document.getElementById("panel");
const map = new NetworkMap(document.getElementById("cy"), { onSelect: showPanel, onEgo: showEgo });
const dashboard = new Dashboard({ onLacks: setLacks });
const collectProgress = new CollectProgress(document.getElementById("d-collect"));
const explorer = new Explorer(map);
const whatif = new WhatIf(map);

// Hooks for people and tests: window.hexahelix.cy is the live cytoscape instance.
window.hexahelix = {
  state,
  map,
  dashboard,
  explorer,
  whatif,
  get cy() {
    return map.cy;
  },
};

function say(text, kind = "info", retry = false) {
  clear(status);
  if (!text) return;
  const block = message(text, kind, kind === "error" ? "error" : "status-message");
  if (retry) block.append(" ", h("button", { type: "button", onClick: () => start() }, t("status.retry")));
  status.append(block);
}

function showError(error) {
  if (isAborted(error)) return; // a request of a view that is gone: nobody waits for it
  say(errorText(error), "error", error && (error.status === 503 || error.status === 0));
}
document.addEventListener("hexahelix:error", (event) => showError(event.detail));

/** The region as the API scopes it: null for the whole of Indonesia. */
const scope = () => (state.region === "id" ? null : state.region);

let opener = null; // what had the focus when the panel opened, to give it back on close

/** Show the selection's details; with `focus` (a person's action), the panel comes into view
 * and takes the focus, and closing it gives the focus back. */
function showPanel(selection, { focus = false } = {}) {
  const wasOpen = Boolean(state.selection);
  state.selection = selection;
  clear(panelBody);
  updateUrl();
  workspace.dataset.panel = selection ? "open" : "";
  if (!selection) {
    panelBody.append(h("p", { class: "muted", dataset: { testid: "panel-empty" } }, t("panel.empty")));
    if (focus && wasOpen && panel.contains(document.activeElement)) {
      const back = opener && opener.isConnected && opener.offsetParent !== null ? opener : document.getElementById("main");
      back.focus({ preventScroll: true });
    }
    return;
  }
  panelBody.append(
    selection.kind === "innovation"
      ? innovationPanel(selection.id, scope(), { focus: state.lacks })
      : actorPanel(selection.id, scope(), { onExplore: exploreActor }),
  );
  if (focus) {
    if (!panel.contains(document.activeElement)) opener = document.activeElement;
    panel.scrollTop = 0;
    panel.focus({ preventScroll: true });
    panel.scrollIntoView({ block: "nearest" });
  }
}

/** The lacks filter (helix kinds every listed innovation must lack), shared by the map's filter
 * panel and the dashboard's table, and kept in the URL. */
function setLacks(kinds, { panel = true } = {}) {
  state.lacks = HELIXES.filter((k) => (kinds || []).includes(k));
  fillLacks(document.getElementById("f-lacks"), state.lacks, (next) => setLacks(next));
  map.setLacks(state.lacks);
  dashboard.setLacks(state.lacks);
  if (panel && state.selection && state.selection.kind === "innovation") showPanel(state.selection);
  updateUrl();
}

function showEgo(ego) {
  state.ego = ego;
  egoInfo.textContent = ego ? t(ego.truncated ? "ego.truncated" : "ego.count", ego) : "";
}

function exploreActor(id) {
  setView("explorer");
  document.getElementById("x-actor").value = id;
  explorer.showActor(id);
}

// -- views -------------------------------------------------------------------------------------
function setView(view, focus = false) {
  state.view = VIEWS.includes(view) ? view : "map";
  for (const tab of document.querySelectorAll('[role="tab"]')) {
    const selected = tab.dataset.view === state.view;
    tab.setAttribute("aria-selected", String(selected));
    tab.tabIndex = selected ? 0 : -1;
    if (selected && focus) tab.focus();
  }
  const onMap = state.view !== "dashboard";
  document.body.dataset.view = state.view;
  workspace.hidden = !onMap;
  workspace.dataset.view = state.view;
  document.getElementById("view-dashboard").hidden = onMap;
  for (const name of ["map", "explorer", "whatif"]) {
    document.getElementById(`sidebar-${name}`).hidden = state.view !== name;
  }
  document.getElementById("w-result").hidden = state.view !== "whatif" || !whatif.result;
  if (state.view !== "explorer") map.clearOverlay(); // the paths' diagram belongs to the explorer
  if (state.view === "whatif" && whatif.result) map.showWhatIf(whatif.removedIds || [], whatif.result);
  if (state.view === "explorer" && explorer.paths.length) map.showPaths(explorer.paths);
  if (onMap && map.cy) {
    map.cy.resize();
    if (map.needsFit) map.fit();
    map.needsFit = false;
  }
  if (state.view === "dashboard") Object.values(dashboard.charts).forEach((c) => c.resize());
  updateUrl();
}

for (const tab of document.querySelectorAll('[role="tab"]')) {
  tab.addEventListener("click", () => setView(tab.dataset.view));
  // WAI-ARIA tabs: arrows move between tabs (and select them), Home and End go to the ends.
  tab.addEventListener("keydown", (event) => {
    const here = VIEWS.indexOf(state.view);
    const next = { ArrowRight: here + 1, ArrowLeft: here - 1, Home: 0, End: VIEWS.length - 1 }[event.key];
    if (next === undefined) return;
    setView(VIEWS[(next + VIEWS.length) % VIEWS.length], true);
    event.preventDefault();
  });
}

/** The URL says what is shown (region, day, view, selection, depth, language), to share it. */
/** The status line once the map is drawn: what is shown, and what the as-of day hides. */
function loadedText(mapData) {
  const shown = t("status.loaded", { innovations: mapData.innovations.length, actors: mapData.actors.length });
  return mapData.not_launched ? `${shown} ${t("status.notLaunched", { n: mapData.not_launched, day: asOf() })}` : shown;
}

function updateUrl() {
  const params = new URLSearchParams();
  if (state.region) params.set("region", state.region);
  if (asOf() !== today()) params.set("at", asOf());
  if (state.view !== "map") params.set("view", state.view);
  if (state.selection) params.set("node", `${state.selection.kind}:${state.selection.id}`);
  if (state.lacks.length) params.set("lacks", state.lacks.join(","));
  if (map.depth !== 1) params.set("depth", map.depth);
  if (lang() !== "id") params.set("lang", lang());
  if (isReportedOnly()) params.set("provenance", "reported");
  history.replaceState(null, "", `${location.pathname}${params.size ? `?${params}` : ""}`);
}

// -- regions and data ----------------------------------------------------------------------------
function fillRegions() {
  const select = document.getElementById("region");
  clear(select);
  for (const region of state.regions.regions) {
    select.append(h("option", { value: region.code }, t("region.count", { name: region.name, n: region.innovations })));
  }
  select.append(h("option", { value: "id" }, t("region.all")));
  select.value = state.region;
  filterRegions();
}

// The region search: typing narrows the region list (name or code, any case; 500+ regions
// nationally), Enter loads the first region left.
const regionSearch = document.getElementById("region-search");

/** Hide the regions not matching the search; the first one left (null when none). */
function filterRegions() {
  const wanted = regionSearch.value.trim().toLowerCase();
  let first = null;
  for (const option of document.getElementById("region").options) {
    const match = !wanted || option.textContent.toLowerCase().includes(wanted) || option.value.startsWith(wanted);
    option.hidden = !match;
    if (match && !first) first = option;
  }
  return first;
}

regionSearch.addEventListener("input", filterRegions);
regionSearch.addEventListener("keydown", (event) => {
  if (event.key !== "Enter") return;
  event.preventDefault();
  const first = filterRegions();
  if (first && first.value !== state.region) selectRegion(first.value);
});

/** Load a region's map, panel and dashboard as of the chosen day. With `keep`, the view
 * (zoom, pan) and the selected node stay, e.g. when only the day changes. */
async function loadRegion(region, { keep = false, select = null } = {}) {
  const load = ++loads;
  const view = keep && map.cy ? { zoom: map.cy.zoom(), pan: map.cy.pan() } : null;
  if (keep && state.selection) select = `${state.selection.kind}:${state.selection.id}`;
  state.region = region;
  state.ready = false;
  document.body.dataset.ready = "false";
  newView(); // the old view's requests are dropped; their answers must not reach this one
  map.metrics = { innovations: null, actors: null };
  updateUrl();
  say(t("status.loading"));
  const aggregate = clear(document.getElementById("aggregate"));
  aggregate.hidden = true;
  let mapData;
  let layout;
  // The innovations' metrics are asked beside the map when it will be drawn: marks known when
  // the map is built cost nothing, a restyle after it costs a full frame on a large map.
  const metrics = drawable(region) ? api.allInnovationMetrics(scope()).catch(() => null) : null;
  try {
    [mapData, layout] = await Promise.all([api.map(scope()), api.layout(scope())]);
  } catch (error) {
    if (load !== loads) return;
    map.destroy();
    showError(error);
    document.body.dataset.ready = "error";
    return;
  }
  if (load !== loads) return;
  state.mapData = mapData;
  showProvenance(mapData.illustrative);
  if (mapData.too_large) {
    map.destroy();
    aggregate.hidden = false;
    aggregate.append(
      message(t("status.tooLarge", { n: mapData.node_count }), "empty", "too-large"),
      h("h2", {}, t("map.aggregateTitle")),
      h("ul", {}, mapData.aggregate.map((r) => h("li", {}, h("button", { type: "button", onClick: () => selectRegion(r.code) }, t("region.count", { name: r.name, n: r.innovations }))))),
    );
    say("");
  } else if (!mapData.innovations.length && !mapData.actors.length) {
    map.destroy();
    say(t("status.empty"), "empty");
  } else {
    // (waiting a little for them: the map does not wait for slow analytics)
    const known = metrics && (await Promise.race([metrics, new Promise((done) => setTimeout(done, 150, null))]));
    if (load !== loads) return;
    map.load(mapData, layout, known);
    if (view) {
      map.cy.viewport(view);
      map.needsFit = false;
    }
    say(loadedText(mapData));
  }
  showPanel(null);
  showEgo(null);
  if (select && map.cy && map.cy.getElementById(select).length) map.select(select, !view, { focus: false });
  explorer.setData(region, mapData.too_large ? null : mapData);
  whatif.setData(region, mapData.too_large ? null : mapData);
  collectProgress.load(scope()); // not awaited: the card fills itself when its answer comes
  await dashboard.load(scope(), mapData.too_large ? null : mapData);
  await map.settle(); // a large map answers gestures only once cytoscape has cached its drawing
  if (load !== loads) return;
  state.ready = true;
  document.body.dataset.ready = "true";
}

/** Whether the map of `region` will be drawn (not too large), as far as the region list says:
 * the innovations in it and in the regions inside it within the server's draw limit. */
function drawable(region) {
  if (region === "id" || !state.regions) return false;
  const inside = state.regions.regions.filter((r) => r.code === region || r.code.startsWith(`${region}.`));
  return inside.reduce((n, r) => n + r.innovations, 0) <= (state.mapData?.max_nodes ?? 4000);
}

function selectRegion(code) {
  document.getElementById("region").value = code;
  loadRegion(code);
}

async function start() {
  say(t("status.loading"));
  try {
    // The vocabularies were loaded with ui.js (before anything is drawn).
    state.regions = await api.regions();
  } catch (error) {
    showError(error);
    document.body.dataset.ready = "error";
    return;
  }
  if (!state.regions.regions.length) {
    say(t("status.noRegions"), "empty");
    document.body.dataset.ready = "true";
    return;
  }
  const wanted = initial.get("region");
  const known = wanted === "id" || state.regions.regions.some((r) => r.code === wanted);
  state.region = known ? wanted : state.regions.default;
  fillRegions();
  await loadRegion(state.region, { select: initial.get("node") });
}

// -- provenance: the banner and the "reported data only" switch --------------------------------
const banner = document.getElementById("provenance-banner");
let shownShare = null;

/** The banner with the region's live counts; gone when nothing shown is illustrative. */
function showProvenance(share) {
  shownShare = share || null;
  const invented = share && (share.illustrative_innovations > 0 || share.illustrative_ties > 0);
  banner.hidden = !invented;
  banner.textContent = invented
    ? t("provenance.banner", { ii: share.illustrative_innovations, i: share.innovations, tt: share.illustrative_ties, t: share.ties })
    : "";
}

const reportedSwitch = document.getElementById("reported-only");
reportedSwitch.addEventListener("change", () => {
  setReportedOnly(reportedSwitch.checked);
  if (state.regions && state.regions.regions.length) loadRegion(state.region, { keep: true });
  else updateUrl();
});

// -- controls --------------------------------------------------------------------------------
document.getElementById("region").addEventListener("change", (event) => loadRegion(event.target.value));
asOfInput.addEventListener("change", () => {
  if (!asOfInput.validity.valid) return;
  asOfInput.value = setAsOf(asOfInput.value);
  if (state.regions && state.regions.regions.length) loadRegion(state.region, { keep: true });
  else updateUrl();
});
depthSelect.addEventListener("change", () => {
  map.setDepth(depthSelect.value);
  updateUrl();
});
document.getElementById("lang-toggle").addEventListener("click", () => setLang(lang() === "id" ? "en" : "id"));
for (const name of ["origin", "helix", "sector", "district", "stage", "coverage"]) {
  document.getElementById(`f-${name}`).addEventListener("change", () => map.applyFilters());
}
document.getElementById("f-size").addEventListener("change", () => map.applySize());
document.getElementById("f-reset").addEventListener("click", () => {
  map.resetFilters();
  setLacks([]);
});
document.getElementById("map-fit").addEventListener("click", () => map.fit());
document.getElementById("map-reset").addEventListener("click", () => map.reset());
document.getElementById("map-zoom-in").addEventListener("click", () => map.zoomBy(1.5));
document.getElementById("map-zoom-out").addEventListener("click", () => map.zoomBy(1 / 1.5));
// Escape closes the details panel (from anywhere but an open list of a <select>).
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape" || event.defaultPrevented || !state.selection || state.view === "dashboard") return;
  map.select(null);
  event.preventDefault();
});
// On a phone the legend starts folded, to leave the map its room.
if (window.matchMedia("(max-width: 700px)").matches) document.getElementById("legend-box").open = false;
document.getElementById("panel-close").addEventListener("click", () => map.select(null));
const search = document.getElementById("search");
search.addEventListener("input", () => map.search(search.value));
search.addEventListener("keydown", (event) => {
  if (event.key === "Enter") {
    const first = document.querySelector("#search-results button");
    if (first) first.click();
  }
});
// "Simulate losing this actor" from a panel: the what-if view runs that scenario. Below 1200 px
// the panel lies over the map and its result, so it closes; the result takes the focus.
document.addEventListener("hexahelix:simulate", (event) => {
  setView("whatif");
  if (window.matchMedia("(max-width: 1199px)").matches) map.select(null, false, { focus: false });
  whatif.simulate(event.detail.id);
});
document.addEventListener("hexahelix:open", (event) => {
  setView("map");
  map.select(`${event.detail.kind}:${event.detail.id}`, true);
});

document.getElementById("export-png").addEventListener("click", () => {
  const stamp = `${state.region || "all"}-${state.view}`;
  if (state.view === "dashboard") {
    dashboard.composite().toBlob((blob) => blob && download(`hexahelix-${stamp}.png`, blob));
  } else if (map.cy) {
    download(`hexahelix-${stamp}.png`, map.cy.png({ output: "blob", full: true, scale: 2, bg: "#ffffff" }));
  }
});
document.getElementById("export-csv").addEventListener("click", () => {
  const rows = { dashboard: () => dashboard.csvRows(), explorer: () => explorer.csvRows(), whatif: () => whatif.csvRows(), map: () => map.visibleRows() }[state.view]();
  if (!rows || rows.length < 2) {
    say(t("export.nothing"), "empty");
    return;
  }
  download(`hexahelix-${state.region || "all"}-${state.view}.csv`, new Blob(["\ufeff", toCsv(rows)], { type: "text/csv;charset=utf-8" }));
});

onLangChange(() => {
  showProvenance(shownShare);
  if (state.regions) fillRegions();
  if (map.data) {
    const filters = map.filterValues();
    const size = document.getElementById("f-size").value;
    map.fillFilterOptions();
    for (const [name, value] of Object.entries(filters)) document.getElementById(`f-${name}`).value = value;
    document.getElementById("f-size").value = size;
    map.applyFilters();
  }
  fillLacks(document.getElementById("f-lacks"), state.lacks, (next) => setLacks(next));
  showPanel(state.selection);
  showEgo(state.ego);
  if (state.mapData && !state.mapData.too_large) {
    whatif.retranslate();
    whatif.el.result.hidden = state.view !== "whatif" || !whatif.result;
  }
  // The server wrote the reasons and explanations in the old language: ask again.
  clearCache();
  if (dashboard.loaded) dashboard.load(dashboard.region, dashboard.mapData);
  else dashboard.render();
  explorer.retranslate();
  if (state.ready && state.mapData && !state.mapData.too_large) {
    say(loadedText(state.mapData));
  }
  updateUrl();
});

setLang(initialLang());
translate();
asOfInput.value = setAsOf(initial.get("at"));
reportedSwitch.checked = setReportedOnly(initial.get("provenance") === "reported");
map.depth = Math.min(3, Math.max(1, Number(initial.get("depth")) || 1));
depthSelect.value = String(map.depth);
setLacks((initial.get("lacks") || "").split(","), { panel: false });
setView(initial.get("view") || "map");
start();
