// Wires the page: region selector, as-of day, views (tabs), language, exports and the status line.
import { api, asOf, clearCache, isAborted, isReportedOnly, newView, setAsOf, setReportedOnly, today } from "./api.js";
import { Dashboard } from "./dashboard.js";
import { CollectProgress } from "./collect-progress.js";
import { Explorer } from "./explorer.js";
import { initialLang, label, lang, num, onLangChange, setLang, t, translate } from "./i18n.js";
import { NetworkMap, communityName } from "./map.js";
import { actorPanel, innovationPanel } from "./panel.js";
import { HELIXES, HELIX_COLORS, clear, download, errorText, fillLacks, h, message, toCsv } from "./ui.js";
import { WhatIf } from "./whatif.js";

const VIEWS = ["map", "dashboard", "explorer", "whatif"];
const initial = new URLSearchParams(location.search); // what the URL asked for on arrival
const state = { view: "map", region: null, regions: null, mapData: null, selection: null, ego: null, lacks: [], ready: false, overview: null, community: null, layout: null, layoutAsked: null };
let loads = 0; // the latest loadRegion call; older ones stop when they see it changed
let drills = 0; // the latest community drawn (or the overview again); older answers are dropped
let dashboardPending = null; // the dashboard's load, deferred until the map is drawn
const COMPUTING_RETRY_MS = 3000; // a region's communities being computed: ask again after this

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
  if (state.view === "dashboard") {
    loadDashboard(); // deferred while the map was drawn: it is shown now
    Object.values(dashboard.charts).forEach((c) => c.resize());
  }
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
  if (state.community !== null) params.set("community", state.community);
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
 * (zoom, pan) and the selected node stay, e.g. when only the day changes. A large region comes
 * as its communities (`view` "communities"): their overview is drawn, or with `community` that
 * community's map. The hidden dashboard is loaded once the map is drawn: its requests and
 * charts would otherwise compete with the map's first frame. */
async function loadRegion(region, { keep = false, select = null, community = null } = {}) {
  const load = ++loads;
  drills += 1;
  const view = keep && map.cy ? { zoom: map.cy.zoom(), pan: map.cy.pan() } : null;
  if (keep && state.selection) select = `${state.selection.kind}:${state.selection.id}`;
  if (keep && state.community !== null) community = state.community;
  state.region = region;
  state.community = null;
  state.overview = null;
  state.ready = false;
  document.body.dataset.ready = "false";
  document.body.dataset.mapReady = "false";
  newView(); // the old view's requests are dropped; their answers must not reach this one
  map.metrics = { innovations: null, actors: null };
  updateUrl();
  say(t("status.loading"));
  const aggregate = clear(document.getElementById("aggregate"));
  aggregate.hidden = true;
  showCommunityNav();
  let mapData;
  let layout;
  // The innovations' metrics are asked beside the map when it will be drawn: marks known when
  // the map is built cost nothing, a restyle after it costs a full frame on a large map.
  const metrics = drawable(region) ? api.allInnovationMetrics(scope()).catch(() => null) : null;
  // The layout is asked beside the map; the overview of communities does not wait for it
  // (only a community's map needs it, and a region's first layout takes minutes).
  const layoutAsked = api.layout(scope());
  layoutAsked.catch(() => null); // (waited for below, or by drill)
  try {
    mapData = await api.map(scope());
    layout = mapData.view === "communities" ? null : await layoutAsked;
  } catch (error) {
    if (load !== loads) return;
    map.destroy();
    if (error.status === 503 && !isAborted(error)) {
      // Still being computed (a large region's communities, its layout): say so, ask again.
      say(t("status.computing"), "info");
      setTimeout(() => load === loads && loadRegion(region, { select, community }), COMPUTING_RETRY_MS);
      return;
    }
    showError(error);
    document.body.dataset.ready = "error";
    return;
  }
  if (load !== loads) return;
  state.mapData = mapData;
  state.layout = layout;
  state.layoutAsked = layoutAsked;
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
  } else if (mapData.view === "communities") {
    state.overview = mapData;
    const wanted = mapData.communities.some((c) => c.id === community) ? community : null;
    if (wanted === null) showOverview();
    else await drill(wanted, { focus: false });
    if (load !== loads) return;
    // A node of the community named in the URL (node=) is selected again, as on a region's map.
    if (wanted !== null && select && map.cy && map.cy.getElementById(select).length) map.select(select, true, { focus: false });
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
  if (!state.overview) {
    showPanel(null);
    showEgo(null);
    if (select && map.cy && map.cy.getElementById(select).length) map.select(select, !view, { focus: false });
    explorer.setData(region, mapData.too_large ? null : mapData);
    whatif.setData(region, mapData.too_large ? null : mapData);
  }
  collectProgress.load(scope()); // not awaited: the card fills itself when its answer comes
  const drawnWith = mapData.view === "nodes" ? mapData : null; // (the history's first year)
  dashboardPending = () => dashboard.load(scope(), drawnWith);
  if (state.view === "dashboard") await loadDashboard(); // it is what is shown: first
  await map.settle(); // a large map answers gestures only once cytoscape has cached its drawing
  if (load !== loads) return;
  document.body.dataset.mapReady = "true";
  await loadDashboard();
  if (load !== loads) return;
  state.ready = true;
  document.body.dataset.ready = "true";
}

/** Load the dashboard of the current region if it waits (once). */
function loadDashboard() {
  const pending = dashboardPending;
  dashboardPending = null;
  return pending ? pending() : Promise.resolve();
}

// -- a large region by community -----------------------------------------------------------------
/** The region's communities drawn, with their list beside the map. */
function showOverview() {
  drills += 1;
  state.community = null;
  state.mapData = state.overview;
  map.loadCommunities(state.overview, (id) => drill(id));
  showPanel(null);
  showEgo(null);
  explorer.setData(state.region, null);
  whatif.setData(state.region, null);
  showCommunityNav();
  const o = state.overview;
  say(t("status.communities", { n: num(o.communities.length), actors: num(o.communities.reduce((n, c) => n + c.actors, 0)), innovations: num(o.communities.reduce((n, c) => n + c.innovations, 0)) }));
  updateUrl();
}

/** Draw one community of the region (its actors, innovations and the ties between them) at
 * the region's layout positions. */
async function drill(id, { focus = true } = {}) {
  const mine = ++drills;
  const load = loads;
  state.community = id;
  delete document.body.dataset.communityDrawn;
  updateUrl();
  say(t("status.loading"));
  const asked = api.map(scope(), id);
  asked.catch(() => null); // (waited for below)
  // The region's layout: a region's first one takes the worker a minute; meanwhile the
  // community is drawn in rings (arranged by the page) and the layout asked again for later.
  let layout = state.layout;
  if (!layout) {
    try {
      layout = await state.layoutAsked;
      if (load === loads) state.layout = layout;
    } catch (error) {
      if (mine !== drills || load !== loads || isAborted(error)) return;
      layout = null;
      state.layoutAsked = api.layout(scope());
      state.layoutAsked.then((kept) => load === loads && (state.layout = kept)).catch(() => null);
    }
  }
  let data;
  try {
    data = await asked;
  } catch (error) {
    if (mine !== drills || load !== loads || isAborted(error)) return;
    if (error.status === 404) {
      showOverview(); // the community is gone (the graph changed): back to the overview
      return;
    }
    if (error.status === 503) {
      // The communities still being computed: say so, ask again.
      say(t("status.computing"), "info");
      setTimeout(() => mine === drills && load === loads && drill(id, { focus }), COMPUTING_RETRY_MS);
      return;
    }
    showError(error);
    return;
  }
  if (mine !== drills || load !== loads) return;
  // The region's metrics (one answer for every community), waited for a little as above.
  const metrics = api.allInnovationMetrics(scope()).catch(() => null);
  const known = await Promise.race([metrics, new Promise((done) => setTimeout(done, 150, null))]);
  if (mine !== drills || load !== loads) return;
  state.mapData = data;
  map.load(data, layout || { nodes: [] }, known, { arrange: !layout });
  showPanel(null);
  showEgo(null);
  explorer.setData(state.region, data);
  whatif.setData(state.region, data);
  showCommunityNav();
  say(layout ? loadedText(data) : `${loadedText(data)} ${t("community.arranged")}`);
  if (focus) document.getElementById("community-back")?.focus();
  await map.settle(); // (a large community: its drawing cached, as a region's)
  if (mine === drills) document.body.dataset.communityDrawn = String(id); // (for tests, bench)
}

/** Above the map: what the overview is (and its list of communities beside the map), or
 * which community is drawn with the way back to all of them. */
function showCommunityNav() {
  const nav = clear(document.getElementById("community-nav"));
  const list = clear(document.getElementById("community-list"));
  const sidebar = document.getElementById("sidebar-map");
  const o = state.overview;
  nav.hidden = !o;
  list.hidden = !o || state.community !== null;
  sidebar.toggleAttribute("data-overview", Boolean(o) && state.community === null);
  document.body.dataset.mapMode = !o ? "nodes" : state.community === null ? "communities" : "community";
  if (!o) return;
  const region = state.regions?.regions.find((r) => r.code === state.region);
  const where = region ? region.name : state.region;
  if (state.community === null) {
    nav.append(
      h("p", { class: "crumbs" }, h("strong", {}, where), " · ", t("community.count", { n: num(o.communities.length) })),
      // What the view is: open beside a wide map, a line to open on a phone.
      h("details", { class: "small muted", open: !window.matchMedia("(max-width: 700px)").matches },
        h("summary", {}, t("community.hintTitle")),
        h("p", { dataset: { testid: "community-hint" } }, t("community.hint", { n: num(o.node_count), limit: num(o.draw_limit) }))),
    );
    list.append(
      h("h2", { id: "community-list-title" }, t("community.listTitle")),
      h("ul", { class: "plain community-buttons", "aria-labelledby": "community-list-title" }, o.communities.filter((c) => c.actors > 1).map((c) => h("li", {},
        h("button", { type: "button", dataset: { community: c.id, testid: "community-button" }, onClick: () => drill(c.id) },
          h("strong", {}, communityName(c.id)), " ", t("community.counts", { actors: num(c.actors), innovations: num(c.innovations) }),
          h("span", { class: "mix", "aria-hidden": "true" }, HELIXES.filter((k) => c.helix_mix[k]).map((k) => {
            const part = h("span", { class: "mix-part" });
            part.style.backgroundColor = HELIX_COLORS[k];
            part.style.flexGrow = String(c.helix_mix[k]);
            return part;
          })),
          h("span", { class: "small muted block" }, mixText(c)),
          c.top_actors.length ? h("span", { class: "small block" }, t("community.top", { names: c.top_actors.slice(0, 3).map((a) => a.name).join("; ") })) : null)))),
    );
    const singles = o.communities.filter((c) => c.actors <= 1).length;
    if (singles) list.append(h("p", { class: "small muted" }, t("community.singles", { n: singles })));
    if (o.innovations_without_community || o.actors_without_community) {
      list.append(h("p", { class: "small muted" }, t("community.unplaced", { innovations: o.innovations_without_community, actors: o.actors_without_community })));
    }
    return;
  }
  const c = o.communities.find((x) => x.id === state.community);
  const outside = o.community_ties.filter((tie) => tie.source === state.community || tie.target === state.community).reduce((n, tie) => n + tie.ties, 0);
  nav.append(
    h("p", { class: "crumbs" },
      h("button", { type: "button", id: "community-back", dataset: { testid: "community-back" }, onClick: () => backToOverview() }, t("community.back")),
      " ", h("span", {}, where), " › ", h("strong", { dataset: { testid: "community-current" } }, communityName(state.community)),
      c ? ` · ${t("community.counts", { actors: num(c.actors), innovations: num(c.innovations) })}` : ""),
    h("p", { class: "small muted" }, t("community.drilledHint", { n: num(outside) })),
  );
}

/** The helix mix of a community in words: "Pemerintah 81, Akademisi 20, …". */
function mixText(c) {
  return HELIXES.filter((k) => c.helix_mix[k]).map((k) => `${label("helix", k)} ${c.helix_mix[k]}`).join(", ");
}

/** From a community back to the overview; the focus goes to its button in the list. */
function backToOverview() {
  const from = state.community;
  showOverview();
  document.querySelector(`#community-list [data-community="${from}"]`)?.focus();
}

/** Whether the map of `region` will be drawn (not too large), as far as the region list says:
 * the innovations in it and in the regions inside it within the server's draw limit. */
function drawable(region) {
  if (region === "id" || !state.regions) return false;
  const inside = state.regions.regions.filter((r) => r.code === region || r.code.startsWith(`${region}.`));
  // A region has at least about as many actors as innovations: over half the draw limit in
  // innovations, it comes by community (whose overview needs no metrics).
  return 2 * inside.reduce((n, r) => n + r.innovations, 0) <= (state.mapData?.draw_limit ?? 1000);
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
  const community = Number.parseInt(initial.get("community") ?? "", 10);
  await loadRegion(state.region, { select: initial.get("node"), community: Number.isInteger(community) ? community : null });
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
  if (state.mapData && state.mapData.view === "nodes") {
    whatif.retranslate();
    whatif.el.result.hidden = state.view !== "whatif" || !whatif.result;
  }
  // The server wrote the reasons and explanations in the old language: ask again.
  clearCache();
  if (dashboard.loaded) dashboard.load(dashboard.region, dashboard.mapData);
  else dashboard.render();
  explorer.retranslate();
  if (state.overview && state.community === null && map.overview) {
    showOverview(); // the communities' names and counts are words too
  } else if (state.overview) {
    showCommunityNav();
  }
  if (state.ready && state.mapData && state.mapData.view === "nodes") {
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
