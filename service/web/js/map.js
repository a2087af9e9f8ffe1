// The network map: cytoscape.js over server-computed positions, with filters, sizes, legend,
// search, ego highlighting and overlays for the explorer and what-if views.
import cytoscape from "../vendor/cytoscape.esm.min.js";
import { api, itemsOf } from "./api.js";
import { label, num, t } from "./i18n.js";
import { HELIXES, HELIX_COLORS, ORIGINS, ORIGIN_COLORS, STAGES, clear, fillSelect, h, kindsText, lacksAll } from "./ui.js";

// No label is drawn smaller than this on screen (px). cytoscape decides per texture level: a
// label is drawn when its size times the zoom rounded up to a power of two (times the pixel
// ratio) reaches "min-zoomed-font-size", so a floor of twice LABEL_FLOOR keeps every drawn
// label at LABEL_FLOOR or more (a floor of 10 showed a 13 px label at 7 px at zoom 0.55). The
// map never restyles its nodes on zoom: on a large map that took most of a second per step.
const LABEL_FLOOR = 10;
// The label sizes (px at zoom 1): innovations are named from zoom 0.5 (at 10 px or more), the
// actors from zoom 1; the explorer's path diagram (its nodes and hops) has its own exact floor.
const LABEL_SIZES = { innovation: 20, broker: 13, actor: 11, path: 12 };
// From this many elements (nodes and ties) on, a full frame costs more than a gesture can wait:
// the page waits (settle) until cytoscape has drawn the map into its layer textures, so that each
// later frame copies them instead of drawing every element. (cytoscape's "textureOnViewport"
// made it worse: it draws the whole map into a picture at the start of every drag.)
const LARGE_MAP = window.hexahelixLargeMap ?? 3000; // (tests lower it to draw the seed as a large map)
const MIN_ZOOM = 0.1;
const MAX_ZOOM = 2.5; // closer only makes nodes and labels huge
const FILTERS = ["origin", "helix", "sector", "district", "stage", "coverage"];

export const nodeKey = (kind, id) => `${kind}:${id}`;

const STYLE = [
  {
    selector: "node",
    style: {
      width: "data(size)",
      height: "data(size)",
      "background-color": "data(color)",
      "border-width": 1,
      "border-color": "#ffffff",
      label: "data(short)",
      // Labels by importance and zoom: innovations and the best-connected actors have larger
      // labels, and cytoscape draws none smaller than 10 px on screen, so a zoomed-out map
      // names the important nodes and zooming in names the rest (never a 5 px label).
      "font-size": "data(fontSize)",
      color: "#1d2330",
      "text-valign": "bottom",
      "text-margin-y": 2,
      // Names shortened beforehand (labelChars): cytoscape's "ellipsis" measures a label once
      // per letter it drops, for every node's bounds, drawn or not (0.4 s on a large map).
      "text-wrap": "none",
      "min-zoomed-font-size": 2 * LABEL_FLOOR * (window.devicePixelRatio || 1),
      "text-background-color": "#ffffff",
      "text-background-opacity": 0.7,
      "text-background-padding": 1,
    },
  },
  // round-diamond, not diamond: cytoscape misses clicks on the diamond's vertical middle line.
  { selector: "node.innovation", style: { shape: "round-diamond", "font-weight": "bold" } },
  { selector: "node.actor", style: { shape: "ellipse" } },
  {
    selector: "node.under",
    style: { "border-width": 2.5, "border-style": "dashed", "border-color": "#9a1c1c" },
  },
  {
    selector: "edge",
    // Ties take no clicks: a click selects the node under the pointer, not a tie crossing it.
    style: { width: "data(width)", "line-color": "#9aa3b2", opacity: 0.55, "curve-style": "straight", events: "no" },
  },
  { selector: "edge.partnership", style: { "line-style": "dashed", "line-color": "#6b7487" } },
  // Illustrative (invented) ties: dashed and paler than reported ones.
  {
    selector: "edge.illustrative",
    style: { "line-style": "dashed", "line-dash-pattern": [4, 4], "line-color": "#c3c8d2", opacity: 0.4 },
  },
  { selector: "edge.reported", style: { "line-style": "solid", "line-color": "#3d4658", opacity: 0.85 } },
  { selector: ".filtered", style: { display: "none" } },
  // Below the label floor at this zoom: no text at all, so none is measured or drawn.
  { selector: ".unlabelled", style: { label: "", "text-opacity": 0 } },
  { selector: ".faded", style: { opacity: 0.12, "text-opacity": 0 } },
  { selector: "edge.ego", style: { opacity: 0.95, "line-color": "#1d2330" } },
  {
    selector: "node.selected",
    style: { "border-width": 4, "border-color": "#ffbf47", "border-style": "solid", "z-index": 10 },
  },
  { selector: "node.match", style: { "border-width": 4, "border-color": "#0b5cad", "border-style": "solid" } },
  {
    selector: "edge.path-edge",
    style: {
      width: 4,
      "line-color": "data(color)",
      opacity: 0.95,
      "curve-style": "straight",
      label: "data(label)",
      "font-size": LABEL_SIZES.path,
      color: "#1d2330",
      "text-background-color": "#ffffff",
      "text-background-opacity": 1,
      "text-background-padding": 2,
      "text-border-width": 1,
      "text-border-color": "data(color)",
      "text-border-opacity": 1,
      "z-index": 20,
    },
  },
  {
    selector: "node.on-path",
    // The diagram's own label floor (applyLabelFloor): shown framed at zoom 1 to 1.25.
    style: { "border-width": 4, "border-color": "#1d2330", "z-index": 15, "font-size": LABEL_SIZES.path, "min-zoomed-font-size": 0, "text-wrap": "wrap", "text-max-width": 120, "text-margin-y": 7 },
  },
  // A hop resting only on illustrative (invented) ties is dashed, as such ties are on the map.
  { selector: "edge.path-edge.illustrative", style: { "line-style": "dashed", "line-dash-pattern": [9, 5] } },
  // The explorer's path diagram: what is on no path is out of the way while it is shown.
  { selector: ".off-path", style: { display: "none" } },
  { selector: "node.removed", style: { "background-color": "#ffffff", "border-color": "#1d2330", "border-width": 3, "border-style": "dotted" } },
  // The community overview of a large region: one pie per community (its helix mix in the
  // helix colours), sized by its actors; ties between communities as lines as wide as their
  // count, dashed when any of them is invented.
  {
    selector: "node.community",
    style: {
      "background-color": "#ffffff",
      "border-width": 2,
      "border-color": "#1d2330",
      "pie-size": "100%",
      "text-wrap": "wrap",
      "text-max-width": 1000, // lines broken by the label itself (name, counts)
      "font-weight": "bold",
      "min-zoomed-font-size": 0,
      "text-margin-y": 4,
    },
  },
  { selector: "node.community.small", style: { "border-width": 1, "border-color": "#6b7487", label: "" } },
  { selector: "node.community.match", style: { "border-width": 5, "border-color": "#0b5cad" } },
  {
    selector: "edge.community-tie",
    style: { width: "data(width)", "line-color": "#3d4658", opacity: 0.7, "curve-style": "straight", events: "no" },
  },
  { selector: "edge.community-tie.illustrative", style: { "line-style": "dashed", "line-dash-pattern": [6, 4], "line-color": "#9aa3b2", opacity: 0.6 } },
  { selector: "edge.community-tie.mixed", style: { "line-style": "dashed", "line-dash-pattern": [10, 3], "line-color": "#6b7487", opacity: 0.7 } },
  { selector: "node.worse", style: { "border-width": 5, "border-color": "#9a1c1c", "border-style": "solid" } },
  { selector: "node.better", style: { "border-width": 5, "border-color": "#17663a", "border-style": "solid" } },
];

// The overview's pies: slice k is helix kind k (the vocabulary's order) in its colour, its size
// the share of the community's actors of that kind (data pie0..pie5, in %).
const PIE_STYLE = {
  selector: "node.community",
  style: Object.fromEntries(HELIXES.flatMap((helix, k) => [
    [`pie-${k + 1}-background-color`, HELIX_COLORS[helix] || "#555"],
    [`pie-${k + 1}-background-size`, `data(pie${k})`],
  ])),
};

/** One community of a large region at the region's layout positions, spread out: its nodes
 * lay among the other communities' and, alone, sit as close as they were (and a zoom that
 * spreads them would draw their labels huge). Each axis is replaced by the node's rank on it,
 * so left stays left and above stays above, but the nodes fill an EXTENT square evenly. */
function spreadOut(positions, mapData) {
  const EXTENT = 1000;
  const keys = [...mapData.innovations.map((i) => nodeKey("innovation", i.id)), ...mapData.actors.map((a) => nodeKey("actor", a.id))].filter((key) => positions.has(key));
  if (keys.length < 2) return;
  const ranks = (axis) => {
    const order = [...keys].sort((a, b) => positions.get(a)[axis] - positions.get(b)[axis] || (a < b ? -1 : 1));
    return new Map(order.map((key, k) => [key, (EXTENT * k) / (order.length - 1)]));
  };
  const [xs, ys] = [ranks("x"), ranks("y")];
  for (const key of keys) positions.set(key, { x: xs.get(key), y: ys.get(key) });
}

/** The name of a community as the page shows it: numbered from 1 (the API's number + 1). */
export function communityName(id) {
  return t("community.name", { n: id + 1 });
}

/** The box around nodes given as elements (position and size), as cytoscape would draw them. */
function positionsBox(elements) {
  const box = { x1: Infinity, y1: Infinity, x2: -Infinity, y2: -Infinity };
  for (const el of elements) {
    if (el.group !== "nodes") continue;
    const half = (el.data.size || 20) / 2 + 1; // and half the border
    box.x1 = Math.min(box.x1, el.position.x - half);
    box.x2 = Math.max(box.x2, el.position.x + half);
    box.y1 = Math.min(box.y1, el.position.y - half);
    box.y2 = Math.max(box.y2, el.position.y + half);
  }
  return { ...box, w: box.x2 - box.x1, h: box.y2 - box.y1 };
}

/** Node sizes for the size control's `metric` from `values` (node key -> number): a function
 * of a node's key and kind. Uniform, or a missing value: innovations 20, actors 15. */
function nodeSizes(metric, values) {
  const numbers = [...values.values()].filter((v) => typeof v === "number");
  const max = Math.max(1e-9, ...numbers);
  return (key, kind) => {
    const base = kind === "innovation" ? 20 : 15;
    const v = values.get(key);
    return metric === "uniform" || typeof v !== "number" ? base : 12 + 34 * Math.sqrt(v / max);
  };
}

/** The API's innovation metrics as the map keeps them: id -> coverage, missing kinds and
 * whether it is under-connected. */
function coverageOf(items) {
  return new Map(items.map((m) => [m.id, { coverage: m.coverage, missing: m.missing || [], under: m.under_connected }]));
}

// A large map's nodes take no pointer events: cytoscape marks the node under a press as active,
// which restyles it and throws its layer textures away (the next frames draw every element
// again); a tap finds its node itself (nodeAt). Its labels start one zoom level later (from
// zoom 1, at 20 px for innovations): whole, its hundreds of labels would only cover each other.
// (The explorer's path diagram keeps its own floor and its taps.)
const LARGE_MAP_STYLE = { selector: "node.innovation, node.actor", style: { events: "no", "min-zoomed-font-size": 4 * LABEL_FLOOR * (window.devicePixelRatio || 1) } };

// Letters of a name shown under a node, by label size: about 90 px of text (120 for the bold
// innovations); the path diagram wraps up to 28 on two lines.
const LABEL_CHARS = { [LABEL_SIZES.innovation]: 10, [LABEL_SIZES.broker]: 13, [LABEL_SIZES.actor]: 15 };

function shortName(name, chars = 28) {
  return name.length > chars ? `${name.slice(0, chars - 1).trimEnd()}…` : name;
}

export class NetworkMap {
  constructor(container, { onSelect, onEgo } = {}) {
    this.container = container;
    this.onSelect = onSelect || (() => {});
    this.onEgo = onEgo || (() => {});
    this.depth = 1;
    this.egoRequest = 0;
    this.cy = null;
    this.data = null;
    this.coverage = new Map(); // innovation id -> {coverage, missing}
    this.metrics = { innovations: null, actors: null };
    this.selected = null;
    this.lacks = []; // helix kinds every shown innovation must lack (the "lacks" filter)
    // The map's box changes with the layout (a result shown below it, the window, a phone
    // turned): cytoscape must redraw at the new size or its canvas overflows the box.
    new ResizeObserver(() => this.cy && this.cy.resize()).observe(container);
    // Wheel zoom in steps that matter: cytoscape's own moves about 5 % per notch. Caught on the
    // way down (capture, on the map's parent) so cytoscape never sees the wheel.
    container.parentElement.addEventListener("wheel", (event) => this.wheel(event), { capture: true, passive: false });
  }

  /** One mouse notch (100 px or 3 lines) zooms 1.5x around the pointer; a touchpad's small
   * deltas zoom by as little as they scroll. */
  wheel(event) {
    if (!this.cy || !this.container.contains(event.target)) return;
    event.preventDefault();
    event.stopPropagation();
    const pixels = event.deltaY * (event.deltaMode === 1 ? 100 / 3 : event.deltaMode === 2 ? 800 : 1);
    const factor = 1.5 ** (-Math.max(-300, Math.min(300, pixels)) / 100);
    const level = Math.min(this.cy.maxZoom(), Math.max(this.cy.minZoom(), this.cy.zoom() * factor));
    const box = this.container.getBoundingClientRect();
    this.cy.zoom({ level, renderedPosition: { x: event.clientX - box.left, y: event.clientY - box.top } });
  }

  /** Draw a region's map data at the given positions (replacing what was drawn), with the
   * innovations' metrics when they are known already (else they are asked: loadMetrics). */
  load(mapData, layout, metrics = null, { arrange = false } = {}) {
    this.data = mapData;
    this.overview = false;
    this.selected = null;
    this.egoRequest += 1;
    const positions = new Map(layout.nodes.map((n) => [nodeKey(n.kind, n.id), { x: n.x, y: n.y }]));
    if (mapData.community !== null && mapData.community !== undefined && !arrange) spreadOut(positions, mapData);
    // Coverage, missing kinds and under-connectedness come from the API (loadMetrics): the
    // page computes no metric of its own.
    this.coverage = new Map();
    if (metrics) {
      this.metrics.innovations = metrics;
      this.coverage = coverageOf(metrics);
    }
    this.fillFilterOptions(); // (and the legend, which the map is framed beside)
    const elements = [];
    let fallback = 0;
    const place = (key) => positions.get(key) || { x: 1050 + 20 * (fallback % 10), y: 40 * Math.floor(fallback++ / 10) };
    for (const inv of mapData.innovations) {
      const key = nodeKey("innovation", inv.id);
      elements.push({
        group: "nodes",
        data: { id: key, ref: inv.id, kind: "innovation", name: inv.name, color: ORIGIN_COLORS[inv.origin] || "#555", size: 20 },
        position: place(key),
        classes: this.coverage.get(inv.id)?.under ? "innovation under" : "innovation",
      });
    }
    for (const actor of mapData.actors) {
      const key = nodeKey("actor", actor.id);
      elements.push({
        group: "nodes",
        data: { id: key, ref: actor.id, kind: "actor", name: actor.name, color: HELIX_COLORS[actor.helix] || "#555", size: 16, helix: actor.helix },
        position: place(key),
        classes: "actor",
      });
    }
    const keys = new Set(elements.map((e) => e.data.id));
    for (const tie of mapData.collaborations) {
      const source = nodeKey("actor", tie.actor_id);
      const target = nodeKey("innovation", tie.innovation_id);
      if (!keys.has(source) || !keys.has(target)) continue;
      elements.push({ group: "edges", data: { id: `c:${tie.actor_id}:${tie.innovation_id}`, source, target, width: 0.6 + 0.6 * tie.strength, role: tie.role, provenance: tie.provenance }, classes: `collaboration ${tie.provenance || "illustrative"}` });
    }
    for (const p of mapData.partnerships) {
      const source = nodeKey("actor", p.source_id);
      const target = nodeKey("actor", p.target_id);
      if (!keys.has(source) || !keys.has(target)) continue;
      elements.push({ group: "edges", data: { id: `p:${p.source_id}:${p.target_id}`, source, target, width: 1, provenance: p.provenance }, classes: `partnership ${p.provenance || "illustrative"}` });
    }
    // Label sizes by importance, and node sizes by degree, set before drawing: every later
    // change of an element's data or classes restyles it, which costs seconds on a large map.
    const degree = new Map();
    for (const edge of elements) {
      if (edge.group !== "edges") continue;
      for (const end of [edge.data.source, edge.data.target]) degree.set(end, (degree.get(end) || 0) + 1);
    }
    const degrees = mapData.actors.map((a) => degree.get(nodeKey("actor", a.id)) || 0).sort((a, b) => b - a);
    const brokers = Math.max(2, degrees[Math.floor(degrees.length * 0.15)] ?? Infinity); // the top 15 %
    const metric = document.getElementById("f-size").value || "degree";
    const sized = metric === "degree" || metric === "uniform"; // known now; the others asked later
    const sizes = nodeSizes(metric, new Map([...keys].map((key) => [key, degree.get(key) || 0])));
    for (const el of elements) {
      if (el.group !== "nodes") continue;
      el.data.fontSize = el.data.kind === "innovation" ? LABEL_SIZES.innovation : (degree.get(el.data.id) || 0) >= brokers ? LABEL_SIZES.broker : LABEL_SIZES.actor;
      el.data.short = shortName(el.data.name, LABEL_CHARS[el.data.fontSize]);
      if (sized) el.data.size = sizes(el.data.id, el.data.kind);
    }
    if (this.cy) this.cy.destroy();
    this.container.hidden = false;
    this.needsFit = !this.container.offsetWidth; // drawn while hidden (e.g. from the dashboard)
    // The whole map beside the legend, framed from the positions (no layout, no bounding box:
    // either would style and measure every node before the first frame).
    // One community of a large region (moved apart: spreadOut) is framed no closer than zoom
    // 1.25, or its labels would be drawn huge.
    const max = mapData.community === null || mapData.community === undefined ? MAX_ZOOM : 1.25;
    const view = this.needsFit || arrange ? null : this.viewForBox(positionsBox(elements), { pad: 30, max });
    this.large = elements.length >= LARGE_MAP;
    // Without positions yet (`arrange`: a community's map while the region's layout is still
    // computed), rings by degree, the best-connected in the middle: cheap and the same each time.
    const arranged = { name: "concentric", concentric: (n) => n.degree(false), levelWidth: () => 3, minNodeSpacing: 8, fit: false };
    this.cy = cytoscape({
      container: this.container,
      elements,
      style: this.large ? [...STYLE, LARGE_MAP_STYLE] : STYLE,
      // At the positions given (cytoscape's default layout is a grid), framed as computed.
      layout: arrange ? arranged : { name: "preset", fit: !view && !this.needsFit, padding: 30, ...(view || {}) },
      minZoom: MIN_ZOOM,
      maxZoom: MAX_ZOOM,
      boxSelectionEnabled: false,
      autoungrabify: true,
    });

    if (arrange && !this.needsFit) {
      const rings = this.viewFor(this.cy.nodes(), { pad: 30, max: 1.25 }); // beside the legend
      if (rings) this.cy.viewport(rings);
      else this.cy.fit(undefined, 30);
    }
    this.cy.on("zoom", () => this.applyLabelFloor());
    this.cy.on("tap", "node", (event) => this.select(event.target.data("real") || event.target.id()));
    this.cy.on("tap", (event) => {
      if (event.target === this.cy) this.select(this.large ? this.nodeAt(event.position) : null);
    });
    // What restyles the map after it is drawn: settle() waits for it.
    this.restyled = Promise.all([sized ? null : this.applySize(), this.loadMetrics(mapData)]);
    this.applyFilters();
  }

  /** Draw a large region's communities (the map answer's `view` "communities"): one pie node
   * per community at the server's positions, sized by its actors, labelled with its counts;
   * the ties between communities as lines. A tap (or Enter in the list beside) calls `onDrill`
   * with the community's number. Communities of one actor are drawn small, unlabelled. */
  loadCommunities(mapData, onDrill) {
    this.data = mapData;
    this.overview = true;
    this.selected = null;
    this.egoRequest += 1;
    this.coverage = new Map();
    const largest = Math.max(1, ...mapData.communities.map((c) => c.actors));
    const narrow = this.container.offsetWidth > 0 && this.container.offsetWidth < 600;
    const elements = [];
    for (const c of mapData.communities) {
      const mixed = Object.values(c.helix_mix).reduce((a, b) => a + b, 0) || 1;
      const data = {
        id: `community:${c.id}`,
        ref: c.id,
        kind: "community",
        name: communityName(c.id),
        // (a narrow map, a phone: the name alone; the counts are in the list)
        short: narrow ? communityName(c.id) : `${communityName(c.id)}\n${t("community.counts", { actors: num(c.actors), innovations: num(c.innovations) })}`,
        size: 18 + 90 * Math.sqrt(c.actors / largest),
        fontSize: 13,
        color: "#ffffff",
      };
      HELIXES.forEach((helix, k) => {
        data[`pie${k}`] = (100 * (c.helix_mix[helix] || 0)) / mixed;
      });
      elements.push({ group: "nodes", data, position: { x: c.x, y: c.y }, classes: c.actors > 1 ? "community" : "community small" });
    }
    const most = Math.max(1, ...mapData.community_ties.map((tie) => tie.ties));
    for (const tie of mapData.community_ties) {
      const kind = tie.illustrative === 0 ? "reported" : tie.illustrative === tie.ties ? "illustrative" : "mixed";
      elements.push({
        group: "edges",
        data: { id: `community-tie:${tie.source}:${tie.target}`, source: `community:${tie.source}`, target: `community:${tie.target}`, width: 1 + 9 * Math.sqrt(tie.ties / most), ties: tie.ties },
        classes: `community-tie ${kind}`,
      });
    }
    this.fillFilterOptions();
    if (this.cy) this.cy.destroy();
    this.container.hidden = false;
    this.needsFit = !this.container.offsetWidth;
    const view = this.needsFit ? null : this.viewForBox(positionsBox(elements), { pad: 60 });
    // Labels 12 px on screen at the first zoom (they grow as one zooms in).
    const font = 12 / Math.min(1, view?.zoom ?? 1);
    for (const el of elements) if (el.group === "nodes") el.data.fontSize = font;
    this.large = false;
    this.cy = cytoscape({
      container: this.container,
      elements,
      style: [...STYLE, PIE_STYLE],
      layout: { name: "preset", fit: !view && !this.needsFit, padding: 60, ...(view || {}) },
      minZoom: MIN_ZOOM,
      maxZoom: MAX_ZOOM,
      boxSelectionEnabled: false,
      autoungrabify: true,
    });
    this.onDrill = onDrill;
    this.cy.on("tap", "node.community", (event) => onDrill(event.target.data("ref")));
    this.restyled = Promise.resolve();
    this.applyFilters();
  }

  /** The node drawn at `position` (model coordinates) on a large map, or null: the nearest
   * shown node whose disc holds the point. */
  nodeAt({ x, y }) {
    let best = null;
    let nearest = Infinity;
    this.cy.nodes(":visible").forEach((node) => {
      const at = node.position();
      const share = Math.hypot(at.x - x, at.y - y) / (node.data("size") / 2 + 2); // and the border
      if (share <= 1 && share < nearest) [best, nearest] = [node, share];
    });
    return best ? best.data("real") || best.id() : null;
  }

  /** The explorer's path diagram: hide its labels that the zoom would draw below LABEL_FLOOR
   * px (a few elements; the map's own labels follow "min-zoomed-font-size"). */
  applyLabelFloor() {
    this.cy.elements(".path-node, .path-edge").toggleClass("unlabelled", LABEL_SIZES.path * this.cy.zoom() < LABEL_FLOOR);
  }

  /** Resolves once a large map is drawn into cytoscape's layer textures at its zoom (at most
   * `wait` ms): until then every frame draws each element, far too slow for a gesture.
   * cytoscape fills the layers in idle frames after a frame has asked for them, and skips them
   * for 250 ms after any restyle (its first frames measure the labels, which restyles them), so
   * the map asks again, as long as the layers are not complete. Internals of cytoscape 3.35's
   * canvas renderer, read only: without them the map is simply not waited for. */
  async settle(wait = 5000) {
    const cy = this.cy;
    const renderer = cy && this.large ? cy.renderer() : null;
    const layers = renderer?.data?.lyrTxrCache;
    if (!layers?.getLayers || !layers.layersQueue || !renderer.getCachedZSortedEles || !this.container.offsetWidth) return;
    await this.restyled;
    const pause = (ms) => new Promise((done) => setTimeout(done, ms));
    const ratio = renderer.getPixelRatio();
    const level = () => Math.ceil(Math.log2(cy.zoom() * ratio));
    const complete = () => (layers.layersByLevel[level()] || []).length > 0 && layers.layersQueue.size() === 0;
    const until = performance.now() + wait;
    while (this.cy === cy && !complete() && performance.now() < until) {
      // What a frame would ask, without drawing the frame: the layers are queued, not drawn.
      if (!layers.layersQueue.size() && !layers.skipping) layers.getLayers(renderer.getCachedZSortedEles().nondrag, ratio);
      await pause(100);
    }
  }

  /** The API's coverage, missing kinds and under-connectedness of each innovation as of the
   * page's day: marks the under-connected ones and feeds the coverage and lacks filters. */
  async loadMetrics(mapData) {
    let items;
    try {
      items = await this.innovationMetrics();
    } catch {
      return; // the size control reports the error when it needs these
    }
    if (this.data !== mapData || !this.cy || this.coverage.size) return; // or marked when built
    this.coverage = coverageOf(items);
    // Only the under-connected change (a class): restyling all 800 innovations of a large
    // region for data nothing draws took a second.
    this.cy.batch(() => {
      for (const [id, c] of this.coverage) {
        if (c.under) this.cy.getElementById(nodeKey("innovation", id)).addClass("under");
      }
    });
    this.applyFilters();
    if (document.getElementById("f-size").value === "coverage") this.applySize();
  }

  missingOf(id) {
    return this.coverage.get(id)?.missing || [];
  }

  /** Set the lacks filter (kinds in HELIXES order) and apply it. */
  setLacks(kinds) {
    this.lacks = HELIXES.filter((k) => (kinds || []).includes(k));
    this.applyFilters();
  }

  destroy() {
    if (this.cy) this.cy.destroy();
    this.cy = null;
    this.data = null;
    this.overview = false;
  }

  // -- filters -------------------------------------------------------------------------------
  fillFilterOptions() {
    const any = [["", t("filters.any")]];
    const uniq = (values) => [...new Set(values.filter(Boolean))].sort((a, b) => a.localeCompare(b));
    const innovations = this.data ? this.data.innovations : [];
    fillSelect(document.getElementById("f-origin"), [...any, ...ORIGINS.map((o) => [o, label("origin", o)])]);
    fillSelect(document.getElementById("f-helix"), [...any, ...HELIXES.map((k) => [k, label("helix", k)])]);
    fillSelect(document.getElementById("f-sector"), [...any, ...uniq(innovations.map((i) => i.sector)).map((s) => [s, label("sector", s)])]);
    fillSelect(document.getElementById("f-district"), [...any, ...uniq(innovations.map((i) => i.district)).map((s) => [s, s])]);
    fillSelect(document.getElementById("f-stage"), [...any, ...STAGES.map((s) => [s, label("stage", s)])]);
    fillSelect(document.getElementById("f-coverage"), [
      ["", t("filters.coverageAny")],
      ...Array.from({ length: HELIXES.length - 1 }, (_, k) => k + 2).map((n) => [String(n), t("filters.coverageBelow", { n })]),
    ]);
    fillSelect(document.getElementById("f-size"), [
      ["degree", t("size.degree")],
      ["coverage", t("size.coverage")],
      ["sustainability", t("size.sustainability")],
      ["pagerank", t("size.pagerank")],
      ["betweenness", t("size.betweenness")],
      ["uniform", t("size.uniform")],
    ]);
    this.renderLegend();
  }

  filterValues() {
    const values = {};
    for (const name of FILTERS) values[name] = document.getElementById(`f-${name}`).value;
    return values;
  }

  /** Hide what the filters exclude; actors stay while they touch a shown innovation. */
  applyFilters() {
    if (!this.cy || !this.data) return;
    if (this.overview) {
      // The overview's nodes are communities: the filters apply once one is drawn.
      const counter = document.getElementById("shown-count");
      counter.textContent = t("community.shown", { n: this.data.communities.length });
      counter.dataset.shown = String(this.data.communities.length);
      counter.classList.remove("message");
      clear(document.getElementById("lacks-results")).hidden = true;
      document.getElementById("lacks-count").hidden = true;
      return;
    }
    const f = this.filterValues();
    const byId = new Map(this.data.innovations.map((i) => [i.id, i]));
    const lacks = this.lacks;
    const innovationFilter = f.origin || f.sector || f.district || f.stage || f.coverage || lacks.length;
    const keepInnovation = (id) => {
      const inv = byId.get(id);
      if (f.origin && inv.origin !== f.origin) return false;
      if (f.sector && inv.sector !== f.sector) return false;
      if (f.district && inv.district !== f.district) return false;
      if (f.stage && inv.stage !== f.stage) return false;
      if (f.coverage && !(this.coverage.get(id)?.coverage < Number(f.coverage))) return false;
      if (lacks.length && !lacksAll(this.missingOf(id), lacks)) return false;
      return true;
    };
    this.cy.batch(() => {
      const innovations = this.cy.nodes(".innovation");
      const actors = this.cy.nodes(".actor");
      innovations.forEach((n) => n.toggleClass("filtered", !keepInnovation(n.data("ref"))));
      actors.forEach((n) => {
        let keep = !f.helix || n.data("helix") === f.helix;
        if (keep && innovationFilter) {
          keep = n.neighborhood("node.innovation").some((m) => !m.hasClass("filtered"));
        }
        n.toggleClass("filtered", !keep);
      });
      if (f.helix) {
        innovations.forEach((n) => {
          if (!n.hasClass("filtered")) {
            n.toggleClass("filtered", !n.neighborhood("node.actor").some((m) => !m.hasClass("filtered")));
          }
        });
      }
    });
    const shown = this.cy.nodes().not(".filtered, .path-node").length;
    const counter = document.getElementById("shown-count");
    const nodes = shown ? t("filters.shown", { n: shown }) : t("filters.none");
    const matching = this.cy.nodes(".innovation").not(".filtered").sort((a, b) => a.data("name").localeCompare(b.data("name")));
    const lacking = !lacks.length ? "" : matching.length ? t("filters.lacksShown", { n: matching.length, kinds: kindsText(lacks) }) : t("filters.lacksNone", { kinds: kindsText(lacks) });
    counter.textContent = lacking ? `${lacking} · ${nodes}` : nodes;
    counter.dataset.shown = String(shown);
    counter.dataset.innovations = String(matching.length);
    counter.dataset.lacks = lacks.join(",");
    counter.dataset.source = this.coverage.size ? "api" : "pending";
    counter.classList.toggle("message", shown === 0);
    // With the lacks filter, the matching innovations are listed to open with a click or Enter.
    const list = clear(document.getElementById("lacks-results"));
    list.hidden = !lacks.length || !matching.length;
    const lacksCount = document.getElementById("lacks-count");
    lacksCount.hidden = !lacks.length;
    lacksCount.textContent = lacking;
    if (lacks.length) {
      matching.forEach((n) => {
        list.append(h("li", {}, h("button", { type: "button", "aria-label": t("filters.lacksOpen", { name: n.data("name") }), dataset: { node: n.id() }, onClick: () => this.select(n.id(), true) }, n.data("name"))));
      });
    }
  }

  resetFilters() {
    for (const name of FILTERS) document.getElementById(`f-${name}`).value = "";
    this.lacks = [];
    this.applyFilters();
  }

  // -- sizes ---------------------------------------------------------------------------------
  async applySize() {
    const cy = this.cy;
    if (!cy || this.overview) return; // a community's size is its actors
    const metric = document.getElementById("f-size").value || "degree";
    const values = new Map();
    try {
      if (metric === "degree") {
        this.cy.nodes().forEach((n) => values.set(n.id(), n.degree(false)));
      } else if (metric === "coverage") {
        for (const [id, c] of this.coverage) values.set(nodeKey("innovation", id), c.coverage);
      } else if (metric === "sustainability") {
        const items = await this.innovationMetrics();
        for (const m of items) values.set(nodeKey("innovation", m.id), m.sustainability_index);
      } else if (metric === "pagerank" || metric === "betweenness") {
        const items = await this.actorMetrics();
        for (const m of items) values.set(nodeKey("actor", m.id), m[metric]);
      }
    } catch (error) {
      document.dispatchEvent(new CustomEvent("hexahelix:error", { detail: error }));
    }
    if (this.cy !== cy) return; // another map was drawn meanwhile
    const size = nodeSizes(metric, values);
    this.cy.batch(() => {
      this.cy.nodes().not(".path-node").forEach((n) => {
        n.data("size", size(n.id(), n.data("kind")));
      });
    });
  }

  // Both read and write the metrics object of the view that asked: a new view replaces
  // `this.metrics`, and a late answer must neither land in it nor read its empty slot.
  async innovationMetrics() {
    const metrics = this.metrics;
    if (!metrics.innovations) metrics.innovations = itemsOf(await api.allInnovationMetrics(this.data.region));
    return metrics.innovations;
  }

  async actorMetrics() {
    const metrics = this.metrics;
    if (!metrics.actors) metrics.actors = itemsOf(await api.allActorMetrics(this.data.region));
    return metrics.actors;
  }

  renderLegend() {
    const legend = clear(document.getElementById("legend"));
    if (this.overview) {
      // The overview's own marks: pies of helix kinds, sizes by actors, ties counted.
      legend.append(h("h3", {}, t("community.legendTitle")));
      for (const helix of HELIXES) {
        legend.append(h("div", {}, h("span", { class: "swatch round", "aria-hidden": "true", dataset: { color: HELIX_COLORS[helix] } }), label("helix", helix)));
      }
      legend.append(h("p", { class: "small" }, t("community.legendSize")));
      legend.append(h("h3", {}, t("legend.ties")));
      legend.append(h("div", {}, h("span", { class: "swatch line reported", "aria-hidden": "true" }), t("community.legendReported")));
      legend.append(h("div", { dataset: { testid: "legend-illustrative" } }, h("span", { class: "swatch line illustrative", "aria-hidden": "true" }), t("community.legendIllustrative")));
      for (const swatch of legend.querySelectorAll("[data-color]")) swatch.style.backgroundColor = swatch.dataset.color;
      return;
    }
    legend.append(h("h3", {}, t("legend.innovations")));
    for (const origin of ORIGINS) {
      legend.append(h("div", {}, h("span", { class: "swatch diamond", "aria-hidden": "true", dataset: { color: ORIGIN_COLORS[origin] } }), label("origin", origin)));
    }
    legend.append(h("h3", {}, t("legend.actors")));
    for (const helix of HELIXES) {
      legend.append(h("div", {}, h("span", { class: "swatch round", "aria-hidden": "true", dataset: { color: HELIX_COLORS[helix] } }), label("helix", helix)));
    }
    legend.append(h("div", {}, h("span", { class: "swatch dashed", "aria-hidden": "true" }), t("legend.underConnected")));
    legend.append(h("h3", {}, t("legend.ties")));
    legend.append(h("div", { dataset: { testid: "legend-reported" } }, h("span", { class: "swatch line reported", "aria-hidden": "true" }), t("legend.reportedTie")));
    legend.append(h("div", { dataset: { testid: "legend-illustrative" } }, h("span", { class: "swatch line illustrative", "aria-hidden": "true" }), t("legend.illustrativeTie")));
    // What the explorer's and the what-if's marks mean, shown in their views only (CSS).
    legend.append(h("div", { class: "legend-part", dataset: { view: "explorer", testid: "legend-paths" } },
      h("h3", {}, t("legend.paths")),
      h("div", {}, h("span", { class: "swatch line path", "aria-hidden": "true" }), t("legend.pathLine")),
      h("div", {}, h("span", { class: "swatch line path illustrative", "aria-hidden": "true" }), t("legend.pathIllustrative"))));
    legend.append(h("div", { class: "legend-part", dataset: { view: "whatif", testid: "legend-whatif" } },
      h("h3", {}, t("legend.whatif")),
      h("div", {}, h("span", { class: "swatch round removed", "aria-hidden": "true" }), t("legend.removed")),
      h("div", {}, h("span", { class: "swatch diamond effect-worse", "aria-hidden": "true" }), t("legend.worse")),
      h("div", {}, h("span", { class: "swatch diamond effect-better", "aria-hidden": "true" }), t("legend.better"))));
    for (const swatch of legend.querySelectorAll("[data-color]")) swatch.style.backgroundColor = swatch.dataset.color;
  }

  // -- search and selection ------------------------------------------------------------------
  search(query) {
    const list = clear(document.getElementById("search-results"));
    if (!this.cy) return [];
    this.cy.nodes().removeClass("match");
    const q = query.trim().toLowerCase();
    if (!q) return [];
    const matches = this.cy.nodes().not(".path-node").filter((n) => n.data("name").toLowerCase().includes(q));
    matches.addClass("match");
    if (!matches.length) {
      list.append(h("li", { class: "muted small" }, t("filters.searchNone", { q: query.trim() })));
      return [];
    }
    list.append(h("li", { class: "muted small", role: "status" }, t("filters.searchFound", { n: matches.length })));
    matches.slice(0, 30).forEach((n) => {
      list.append(h("li", {}, h("button", { type: "button", dataset: { node: n.id() }, onClick: () => this.select(n.id(), true) }, `${n.data("name")} · ${t(`kind.${n.data("kind")}`)}`)));
    });
    return matches.map((n) => n.id());
  }

  /** Select a node (or clear with null): open its panel and highlight its ego network, the
   * nodes within `depth` steps as the API computes them (direct neighbours until it answers). */
  select(key, center = false, { focus = true } = {}) {
    if (!this.cy) return;
    if (this.overview) {
      // A community found by the search opens as its map; nothing else is selected here.
      if (key && this.cy.getElementById(key).length) this.onDrill(this.cy.getElementById(key).data("ref"));
      return;
    }
    const request = ++this.egoRequest;
    this.cy.elements().removeClass("faded selected ego");
    this.selected = key;
    delete this.container.dataset.ego;
    if (!key) {
      this.onEgo(null);
      this.onSelect(null, { focus });
      return;
    }
    const node = this.cy.getElementById(key);
    if (!node.length) return;
    node.addClass("selected");
    this.cy.nodes(".path-node").filter((n) => n.data("real") === key).addClass("selected");
    this.highlight(node.closedNeighborhood().nodes());
    this.loadEgo(node, request);
    if (center) this.cy.animate({ center: { eles: node }, zoom: Math.max(this.cy.zoom(), 1.2) }, { duration: 250 });
    this.onSelect({ kind: node.data("kind"), id: node.data("ref") }, { focus });
  }

  setDepth(depth) {
    this.depth = Math.min(3, Math.max(1, Number(depth) || 1));
    const node = this.cy && this.selected ? this.cy.getElementById(this.selected) : null;
    if (node && node.length) this.loadEgo(node, ++this.egoRequest);
  }

  async loadEgo(node, request) {
    this.container.dataset.ego = "loading";
    let ego;
    try {
      ego = await api.ego(node.data("kind"), node.data("ref"), this.depth, this.data.region);
    } catch (error) {
      if (request !== this.egoRequest) return;
      this.container.dataset.ego = "error";
      document.dispatchEvent(new CustomEvent("hexahelix:error", { detail: error }));
      return;
    }
    if (request !== this.egoRequest || !this.cy) return;
    const keys = new Set(ego.nodes.map((n) => n.key));
    const nodes = this.cy.nodes().filter((n) => keys.has(n.id())).union(node);
    this.highlight(nodes);
    this.container.dataset.ego = "ready";
    this.container.dataset.egoNodes = String(nodes.length);
    this.onEgo({ n: nodes.length, depth: ego.depth, truncated: ego.truncated });
  }

  highlight(nodes) {
    this.cy.batch(() => {
      const edges = nodes.connectedEdges().filter((e) => nodes.contains(e.source()) && nodes.contains(e.target()));
      this.cy.elements().removeClass("faded ego");
      // the explorer's diagram stays as it is: it is what the reader looks at
      this.cy.elements().not(nodes).not(edges).not(".path-node, .path-edge").addClass("faded");
      edges.addClass("ego");
    });
  }

  /** Fit what is in focus: the highlighted nodes (ego network, paths) or else every shown node. */
  fit() {
    if (!this.cy) return;
    const shown = this.cy.nodes().not(".filtered, .off-path");
    const focused = shown.not(".faded");
    this.show(focused.length && focused.length < shown.length ? focused : shown, 40);
  }

  /** Back to the whole map as first drawn. */
  reset() {
    if (this.cy) this.show(this.cy.nodes().not(".off-path"), 30);
  }

  /** Move to show `eles` beside the legend (animated), or as cytoscape fits them. */
  show(eles, pad, animate = true) {
    const view = this.viewFor(eles, { pad });
    if (!animate) view ? this.cy.viewport(view) : this.cy.fit(eles, pad);
    else this.cy.animate(view || { fit: { eles, padding: pad } }, { duration: 200 });
  }

  /** Zoom by `factor` around the centre of the map. */
  zoomBy(factor) {
    if (!this.cy) return;
    const level = Math.min(this.cy.maxZoom(), Math.max(this.cy.minZoom(), this.cy.zoom() * factor));
    this.cy.animate({ zoom: { level, renderedPosition: { x: this.cy.width() / 2, y: this.cy.height() / 2 } } }, { duration: 150 });
  }

  // -- overlays (explorer, what-if) ------------------------------------------------------------
  clearOverlay() {
    if (!this.cy) return;
    this.cy.remove("edge.path-edge, node.path-node");
    this.cy.elements().removeClass("on-path off-path removed worse better faded");
  }

  /** The explorer's paths as a diagram over the map: one row per path, top to bottom as
   * listed, each from its source on the left to its target on the right through its own copies
   * of the actors it passes, every hop labelled "path.hop". Rows never cross, so no label lies
   * over another. The map's nodes stay where they are, hidden meanwhile; `clearOverlay` takes
   * the diagram away. */
  showPaths(paths) {
    this.clearOverlay();
    if (!this.cy || !paths.length) return;
    const colors = ["#0b5cad", "#9a1c1c", "#17663a", "#7a3fa0", "#7a5a00"];
    const key = (id) => nodeKey("actor", id);
    const ends = paths.flatMap((path) => path.hops.flatMap((hop) => [key(hop.source), key(hop.target)]));
    if (ends.some((end) => !this.cy.getElementById(end).length)) return;
    // Drawn at zoom 1 in the free part of the map: columns as wide as it allows (half a label
    // sticks out at each end) but never narrower than a label (120 px), rows as high as it
    // allows between 80 and 120 px (a node, its label of up to two lines and a gap).
    const free = this.freeArea();
    const longest = Math.max(...paths.map((path) => path.hops.length));
    const width = longest * Math.min(260, Math.max(120, (free.width - 180) / longest));
    const gap = Math.min(120, Math.max(80, (free.height - 60) / paths.length));
    const elements = [];
    const copy = (real, id, position) => {
      const data = this.cy.getElementById(real).data();
      elements.push({ group: "nodes", data: { ...data, id, real, size: 20, fontSize: LABEL_SIZES.path, short: shortName(data.name) }, position, classes: "path-node on-path" });
      return id;
    };
    paths.forEach((path, p) => {
      const y = p * gap;
      const n = path.hops.length;
      let from = copy(key(path.hops[0].source), `path-node:${p}:0`, { x: 0, y });
      path.hops.forEach((hop, i) => {
        const to = copy(key(hop.target), `path-node:${p}:${i + 1}`, { x: (width * (i + 1)) / n, y });
        const provenance = hop.provenance || "illustrative";
        elements.push({ group: "edges", data: { id: `path:${p}:${i}`, source: from, target: to, color: colors[p % colors.length], label: `${p + 1}.${i + 1}`, provenance }, classes: `path-edge ${provenance}` });
        from = to;
      });
    });
    this.cy.batch(() => {
      this.cy.elements().addClass("off-path");
      this.cy.add(elements);
    });
    this.frame(this.cy.elements(".path-node, .path-edge"));
    this.applyLabelFloor(); // the diagram's nodes and hops are new
  }

  /** The part of the map an open, tall legend leaves free (it covers the map's left side). */
  freeArea() {
    const area = this.container.getBoundingClientRect();
    const legend = document.getElementById("legend-box").getBoundingClientRect();
    const left = legend.height > area.height / 3 ? Math.max(0, legend.right - area.left) : 0;
    return { left, width: area.width - left, height: area.height };
  }

  /** The viewport that shows `eles` in the free part of the map (right of an open, tall
   * legend) at a zoom between `min` and `max`: centred when they fit, else from their top left.
   * `labels` counts the labels in their size (the explorer's diagram). */
  viewFor(eles, { labels = false, ...options } = {}) {
    return this.viewForBox(eles.boundingBox({ includeLabels: labels }), options);
  }

  /** The viewport that shows `box` (model coordinates) as `viewFor` does. */
  viewForBox(box, { min = MIN_ZOOM, max = MAX_ZOOM, pad = 30 } = {}) {
    const free = this.freeArea();
    const width = free.width - 2 * pad;
    const height = free.height - 2 * pad;
    if (width < 120 || height < 80) return null; // too small a box to frame anything in
    const zoom = Math.min(max, Math.max(min, Math.min(width / (box.w || 1), height / (box.h || 1))));
    const along = (start, room, low, size) => (size * zoom <= room ? start + room / 2 - zoom * (low + size / 2) : start - zoom * low);
    return { zoom, pan: { x: along(free.left + pad, width, box.x1, box.w), y: along(pad, height, box.y1, box.h) } };
  }

  /** Show `eles` with their labels at zoom 1 to 1.25, so every label keeps its size. */
  frame(eles) {
    const view = this.viewFor(eles, { min: 1, max: 1.25, pad: 20, labels: true });
    if (view) this.cy.viewport(view);
    else this.cy.fit(eles, 20);
  }

  showWhatIf(removed, result) {
    this.clearOverlay();
    if (!this.cy) return;
    for (const id of removed) this.cy.getElementById(nodeKey("actor", id)).addClass("removed");
    for (const change of result.changes || []) {
      const node = this.cy.getElementById(nodeKey("innovation", change.id));
      const delta = change.sustainability_delta ?? 0;
      node.addClass(change.coverage_delta < 0 || delta < 0 ? "worse" : "better");
    }
  }

  visibleRows() {
    if (!this.cy) return [];
    if (this.overview) {
      const rows = [["community", "actors", "innovations", "illustrative_actors", "illustrative_innovations", "ties_inside", ...HELIXES]];
      for (const c of this.data.communities) {
        rows.push([c.id + 1, c.actors, c.innovations, c.illustrative_actors, c.illustrative_innovations, c.ties_inside, ...HELIXES.map((k) => c.helix_mix[k] || 0)]);
      }
      return rows;
    }
    const rows = [["kind", "id", "name", "helix_or_origin", "degree", "provenance", "membership"]];
    const innovations = new Map((this.data?.innovations || []).map((i) => [i.id, i]));
    const actors = new Map((this.data?.actors || []).map((a) => [a.id, a]));
    this.cy.nodes().not(".filtered, .path-node").forEach((n) => {
      const record = (n.data("kind") === "innovation" ? innovations : actors).get(n.data("ref")) || {};
      rows.push([n.data("kind"), n.data("ref"), n.data("name"), n.data("helix") || record.origin || "", n.degree(false), record.provenance || "", record.membership || ""]);
    });
    return rows;
  }
}
