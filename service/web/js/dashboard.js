// The planner's dashboard: the under-connected table and the portfolio charts (Chart.js).
import { api, asOf, isAborted, itemsOf } from "./api.js";
import { label, t, textOf } from "./i18n.js";
import { innovationMarks, invented } from "./panel.js";
import { CHIP_COLORS, HELIXES, HELIX_COLORS, ORIGINS, ORIGIN_COLORS, clear, errorText, fillLacks, fillSelect, fmt, h, kindsText, lacksAll, message } from "./ui.js";

const COLUMNS = [
  { key: "rank", num: true },
  { key: "name" },
  { key: "coverage", num: true },
  { key: "missing" },
  { key: "index", num: true },
  { key: "reasons" },
];

/** A heatmap cell's colours: the accent blue at `alpha` over white, and whichever of white or
 * the ink reads better on it (WCAG contrast, so every cell reaches 4.5:1). */
function heatColors(alpha) {
  const rgb = [11, 92, 173].map((c) => Math.round(255 + (c - 255) * alpha));
  const lum = (values) => {
    const [r, g, b] = values.map((v) => {
      const c = v / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const bg = lum(rgb);
  const onWhite = 1.05 / (bg + 0.05);
  const onInk = (bg + 0.05) / (lum([29, 35, 48]) + 0.05);
  return [`rgb(${rgb.join(", ")})`, onWhite >= onInk ? "#ffffff" : "#1d2330"];
}

/** From 1 January of the first year a tie started to the day looked at (at most 20 years). */
function historySpan(mapData) {
  const day = asOf();
  const year = Number(day.slice(0, 4));
  const years = [...(mapData?.collaborations || []), ...(mapData?.partnerships || [])]
    .map((tie) => Number(String(tie.since).slice(0, 4)))
    .filter((y) => y > 1900);
  const first = Math.min(year, Math.max(year - 20, years.length ? Math.min(...years) : year - 5));
  return [`${first}-01-01`, day];
}

/** A chart's text alternative: its name for assistive technology (the title and every number,
 * in words) and the same numbers as a table under it. `rows` are [label, value, ...]; `item`
 * is the key of one number's words ({what}, {n}, and for the history {a}, {u}, {i}). */
function describe(name, title, head, rows, item) {
  const canvas = document.getElementById(`c-${name}`);
  const words = rows.map(([what, n, u, i]) => t(item, { what, n, a: n, u, i }));
  canvas.setAttribute("role", "img");
  canvas.setAttribute("aria-label", words.length ? `${title}: ${words.join("; ")}.` : title);
  const box = clear(document.getElementById(`t-${name}`));
  box.closest("details").hidden = !rows.length;
  if (!rows.length) return;
  // Without Chart.js (it failed to load) the table is the chart: show it open.
  if (!window.Chart) box.closest("details").open = true;
  box.append(h("div", { class: "table-wrap" }, h("table", { dataset: { testid: `chart-table-${name}` } },
    h("thead", {}, h("tr", {}, head.map((c, i) => h("th", { scope: "col", class: i ? "num" : null }, c)))),
    h("tbody", {}, rows.map((row) => h("tr", {}, row.map((v, i) => (i ? h("td", { class: "num" }, fmt(v)) : h("th", { scope: "row" }, v)))))))));
}

export class Dashboard {
  constructor({ onLacks } = {}) {
    this.charts = {};
    this.rows = [];
    this.all = null; // every innovation's metrics (for the lacks filter), null when unavailable
    this.lacks = [];
    this.onLacks = onLacks || (() => {});
    this.sort = { key: "rank", dir: 1 };
    this.region = null;
    this.mapData = null;
    this.portfolio = null;
    this.history = null;
    this.loads = 0;
    document.getElementById("d-radar-pick").addEventListener("change", () => this.renderRadar());
    this.iga = null;
    this.duty = null;
    this.dutyLoads = 0;
    document.getElementById("d-duty-year").addEventListener("change", () => this.loadDuty());
  }

  /** Load everything for a region; each part shows its own words when it fails. */
  async load(region, mapData) {
    const load = ++this.loads;
    this.region = region;
    this.mapData = mapData;
    this.portfolio = null;
    this.history = null;
    this.loaded = false;
    const table = clear(document.getElementById("d-table"));
    table.append(message(t("status.loading")));
    this.fillDutyYears();
    this.loadDuty();
    const [under, portfolio, history, all, iga] = await Promise.allSettled([
      this.loadUnder(region),
      api.portfolio(region),
      api.history(region, ...historySpan(mapData)),
      api.allInnovationMetrics(region),
      api.igaGain(region),
    ]);
    if (load !== this.loads) return; // a newer load (another region or day) took over
    // Requests dropped because the view changed: the next load draws the dashboard.
    if ([under, portfolio, history, all].some((r) => r.status === "rejected" && isAborted(r.reason))) return;
    this.underError = under.status === "rejected" ? under.reason : null;
    this.rows = under.status === "fulfilled" ? under.value : [];
    this.all = all.status === "fulfilled" ? itemsOf(all.value) : null;
    this.loaded = true;
    this.portfolioError = portfolio.status === "rejected" ? portfolio.reason : null;
    this.portfolio = portfolio.status === "fulfilled" ? portfolio.value : null;
    this.historyError = history.status === "rejected" ? history.reason : null;
    this.history = history.status === "fulfilled" ? history.value : null;
    this.igaError = iga.status === "rejected" ? iga.reason : null;
    this.iga = iga.status === "fulfilled" ? iga.value : null;
    this.render();
  }

  async loadUnder(region) {
    let items;
    try {
      items = itemsOf(await api.underConnected(region));
    } catch (error) {
      if (error.status !== 404 && error.status !== 405) throw error;
      // Fallback while /innovations/under-connected is absent: the store's coverage gaps.
      items = itemsOf(await api.coverageGaps(region));
    }
    return items.map((item, index) => ({
      rank: index + 1,
      id: item.id || item.innovation_id,
      name: item.name,
      coverage: item.coverage,
      missing: item.missing || [],
      index: item.sustainability_index ?? null,
      reasons: item.reasons || [],
      provenance: item.provenance,
      membership: item.membership,
      order: index,
    }));
  }

  /** Set the lacks filter and show the table again. */
  setLacks(kinds) {
    this.lacks = HELIXES.filter((k) => (kinds || []).includes(k));
    this.renderLacks();
    if (this.loaded) this.renderTable();
  }

  renderLacks() {
    fillLacks(document.getElementById("d-lacks"), this.lacks, (kinds) => this.onLacks(kinds));
  }

  /** The table's rows: the under-connected ones; with the lacks filter, every innovation that
   * lacks the checked kinds (ranked ones first, in their order, then the others by index). */
  tableRows() {
    if (!this.lacks.length) return this.rows;
    if (!this.all) return this.rows.filter((row) => lacksAll(row.missing, this.lacks));
    const ranked = new Map(this.rows.map((row) => [row.id, row]));
    const others = this.all
      .filter((m) => !ranked.has(m.id))
      .sort((a, b) => (a.sustainability_index ?? 0) - (b.sustainability_index ?? 0) || a.name.localeCompare(b.name))
      .map((m, index) => ({
        rank: null,
        id: m.id,
        name: m.name,
        coverage: m.coverage,
        missing: m.missing || [],
        index: m.sustainability_index ?? null,
        reasons: m.reasons || [],
        provenance: m.provenance,
        membership: m.membership,
        order: this.rows.length + index,
      }));
    return [...this.rows, ...others].filter((row) => lacksAll(row.missing, this.lacks));
  }

  render() {
    this.renderLacks();
    this.renderTable();
    this.renderSummary();
    this.renderCharts();
    this.renderIga();
    this.renderDuty();
  }

  /** The smallest changes that raise the estimated IGA actor scores, and their effect. */
  renderIga() {
    const box = clear(document.getElementById("d-iga"));
    if (this.igaError) return box.append(message(errorText(this.igaError), "error"));
    const r = this.iga;
    if (!r) return box.append(message(t("status.loading")));
    if (!r.actions.length) return box.append(message(t("dash.igaNone"), "empty"));
    box.append(
      h("p", { dataset: { testid: "iga-effect" } }, t("dash.igaEffect", { n: r.actions.length, before: r.total_score_before, after: r.total_score_after })),
      h("p", { class: "muted small", dataset: { testid: "iga-uncertainty" } }, textOf(r.uncertainty)),
      h("ol", { class: "small" }, r.actions.map((a) =>
        h("li", { dataset: { testid: "iga-action", id: a.innovation_id } },
          h("strong", {}, a.name), ": ", textOf(a.action),
          h("br"),
          h("span", { class: "muted" }, `${t("dash.igaCandidates")}: `,
            a.add.map((k) => `${label("helix", k.helix)} — ${k.candidates.length ? k.candidates.map((c) => c.name).join(", ") : t("dash.igaNoCandidate")}`).join("; "))))),
    );
  }

  fillDutyYears() {
    const select = document.getElementById("d-duty-year");
    const year = Number(asOf().slice(0, 4));
    const chosen = select.value || String(year);
    fillSelect(select, Array.from({ length: 6 }, (_, k) => [String(year - k), String(year - k)]), false);
    select.value = Number(chosen) <= year ? chosen : String(year);
  }

  async loadDuty() {
    const load = ++this.dutyLoads;
    const year = document.getElementById("d-duty-year").value;
    this.duty = null;
    this.renderDuty();
    try {
      const duty = await api.yearlyDuty(this.region, year);
      if (load !== this.dutyLoads) return;
      this.duty = duty;
      this.dutyError = null;
    } catch (error) {
      if (load !== this.dutyLoads) return;
      this.dutyError = error;
    }
    this.renderDuty();
  }

  /** Which perangkat daerah, kecamatan and puskesmas launched no innovation in the year. */
  renderDuty() {
    const box = clear(document.getElementById("d-duty"));
    if (this.dutyError) return box.append(message(errorText(this.dutyError), "error"));
    const d = this.duty;
    if (!d) return box.append(message(t("status.loading")));
    const missing = d.units.filter((u) => !u.met);
    box.append(h("ul", { class: "plain", dataset: { testid: "duty-counts" } },
      Object.entries(d.by_type).map(([type, c]) => h("li", {}, t("dash.dutyCounts", { type: label("origin", type), missing: c.missing, units: c.units })))));
    if (!missing.length) box.append(message(t("dash.dutyAllMet", { year: d.year }), "empty"));
    else box.append(h("ul", { class: "small" }, missing.map((u) => h("li", { dataset: { testid: "duty-unit", id: u.id, type: u.type } }, textOf(u.note)))));
    if (d.undated) box.append(h("p", { class: "muted small" }, t("dash.dutyUndated", { n: d.undated })));
  }

  sorted() {
    const { key, dir } = this.sort;
    const value = (row) => (key === "missing" || key === "reasons" ? row[key].length : row[key]);
    return this.tableRows().sort((a, b) => {
      const va = value(a);
      const vb = value(b);
      if (va === vb) return a.order - b.order;
      if (va === null) return 1;
      if (vb === null) return -1;
      return (typeof va === "string" ? va.localeCompare(vb) : va - vb) * dir;
    });
  }

  renderTable() {
    const box = clear(document.getElementById("d-table"));
    const count = document.getElementById("d-lacks-count");
    const rows = this.sorted();
    count.hidden = !this.lacks.length;
    count.textContent = this.lacks.length ? t("filters.lacksShown", { n: rows.length, kinds: kindsText(this.lacks) }) : "";
    count.dataset.innovations = String(rows.length);
    if (this.underError) {
      box.append(message(errorText(this.underError), "error"));
      return;
    }
    if (!rows.length) {
      box.append(this.lacks.length ? message(t("dash.lacksNone", { kinds: kindsText(this.lacks) }), "empty", "under-empty") : message(t("dash.underNone"), "empty", "under-empty"));
      return;
    }
    const headRow = h("tr", {});
    for (const col of COLUMNS) {
      const title = t(`dash.col.${col.key}`);
      const active = this.sort.key === col.key;
      headRow.append(
        h("th", { scope: "col", class: col.num ? "num" : null, "aria-sort": active ? (this.sort.dir > 0 ? "ascending" : "descending") : "none" },
          h("button", { type: "button", "aria-label": t("dash.sortBy", { col: title }), dataset: { sort: col.key }, onClick: () => this.sortBy(col.key) }, title, active ? (this.sort.dir > 0 ? " ▲" : " ▼") : "")),
      );
    }
    const body = h("tbody", {});
    for (const row of rows) {
      body.append(
        h("tr", { dataset: { testid: "under-row", id: row.id, missing: row.missing.join(",") } },
          h("td", { class: "num" }, row.rank ?? "—"),
          h("td", {}, h("button", { type: "button", class: "link", onClick: () => document.dispatchEvent(new CustomEvent("hexahelix:open", { detail: { kind: "innovation", id: row.id } })) }, row.name), ...innovationMarks(row)),
          h("td", { class: "num" }, `${row.coverage}/${HELIXES.length}`),
          h("td", {}, row.missing.map((k) => h("span", { class: this.lacks.includes(k) ? "kind lacked" : "kind" }, label("helix", k))).flatMap((el, i) => (i ? [", ", el] : [el]))),
          h("td", { class: "num" }, fmt(row.index, 1)),
          h("td", {}, row.reasons.map(textOf).join("; "))),
      );
    }
    box.append(h("div", { class: "table-wrap" }, h("table", { dataset: { testid: "under-table" } }, h("thead", {}, headRow), body)));
  }

  sortBy(key) {
    this.sort = { key, dir: this.sort.key === key ? -this.sort.dir : 1 };
    this.renderTable();
    document.querySelector(`#d-table th button[data-sort="${key}"]`)?.focus();
  }

  renderSummary() {
    const box = clear(document.getElementById("d-summary"));
    const p = this.portfolio;
    if (this.portfolioError) box.append(message(errorText(this.portfolioError), "error"));
    if (!p) return;
    // A figure with its unit when it has one ("52.2 / 100"), the unit outside the <strong>.
    const kpi = (key, name, value, unit = "") => h("div", { class: "kpi", dataset: { testid: "kpi", key } }, h("span", { class: "muted small" }, name), h("strong", {}, value), unit ? h("span", { class: "muted small" }, ` ${unit}`) : "");
    box.append(
      h("div", { class: "kpis" },
        kpi("active_innovation_count", t("dash.activeInnovations"), fmt(p.active_innovation_count ?? p.innovation_count)),
        kpi("active_actor_count", t("dash.activeActors"), fmt(p.active_actor_count ?? p.actor_count)),
        kpi("mean_sustainability_index", t("dash.meanIndex"), fmt(p.mean_sustainability_index, 1), t("dash.of", { n: 100 })),
        kpi("mean_coverage", t("dash.meanCoverage"), fmt(p.mean_coverage, 2), t("dash.ofKinds", { n: HELIXES.length })),
        kpi("under_connected", t("dash.underCount"), fmt(this.underError ? null : this.rows.length))),
    );
    if (p.top_brokers && p.top_brokers.length) {
      box.append(
        h("h3", {}, t("dash.topBrokers")),
        h("p", { class: "caption", dataset: { testid: "brokers-explained" } }, t("dash.topBrokersHint")),
        h("ol", { class: "small", dataset: { testid: "top-brokers" } }, p.top_brokers.slice(0, 5).map((b) => h("li", {}, b.name, invented(b.provenance), ` (${label("helix", b.helix)}) — `, h("abbr", { title: t("broker.cross_helixHint") }, t("broker.cross_helix")), ` ${b.cross_helix}`))),
      );
    }
  }

  chart(name, config) {
    if (this.charts[name]) this.charts[name].destroy();
    const Chart = window.Chart;
    if (!Chart) return;
    this.charts[name] = new Chart(document.getElementById(`c-${name}`), {
      ...config,
      options: { responsive: true, maintainAspectRatio: false, animation: false, ...(config.options || {}) },
    });
  }

  /** Chart.js options for a bar chart with titled axes (`x`, `y`: the titles' keys). */
  static axes(x, y, extra = {}) {
    const title = (key) => ({ display: true, text: t(key), font: { weight: "bold" } });
    return {
      plugins: { legend: { display: false } },
      ...extra,
      scales: {
        x: { title: title(x), ...(extra.indexAxis === "y" ? { beginAtZero: true, ticks: { precision: 0 } } : {}) },
        y: { title: title(y), ...(extra.indexAxis === "y" ? {} : { beginAtZero: true, ticks: { precision: 0 } }) },
      },
    };
  }

  renderCharts() {
    const p = this.portfolio;
    if (!p) return;
    const histogram = p.coverage_histogram || [];
    const kinds = histogram.map((_, k) => t("dash.alt.kinds", { k }));
    this.chart("coverage", {
      type: "bar",
      data: { labels: histogram.map((_, k) => String(k)), datasets: [{ label: t("dash.innovationsAxis"), data: histogram, backgroundColor: "#0b5cad" }] },
      options: Dashboard.axes("dash.coverageAxis", "dash.innovationsAxis"),
    });
    describe("coverage", t("dash.coverageHist"), [t("dash.coverageAxis"), t("dash.innovationsAxis")], kinds.map((k, i) => [k, histogram[i]]), "dash.alt.innovations");
    const helixRows = HELIXES.map((k) => [label("helix", k), p.helix_participation?.[k] ?? 0]);
    this.chart("helix", {
      type: "bar",
      data: { labels: helixRows.map((r) => r[0]), datasets: [{ label: t("dash.innovationsAxis"), data: helixRows.map((r) => r[1]), backgroundColor: HELIXES.map((k) => HELIX_COLORS[k]) }] },
      options: Dashboard.axes("dash.helixInnovationsAxis", "dash.helixAxis", { indexAxis: "y" }),
    });
    describe("helix", t("dash.helixParticipation"), [t("dash.helixAxis"), t("dash.helixInnovationsAxis")], helixRows, "dash.alt.innovations");
    const origins = ORIGINS.filter((o) => o in (p.by_origin || {})).concat(Object.keys(p.by_origin || {}).filter((o) => !ORIGINS.includes(o)));
    const originRows = origins.map((o) => [label("origin", o), p.by_origin[o]]);
    this.chart("origin", {
      type: "bar",
      data: { labels: originRows.map((r) => r[0]), datasets: [{ label: t("dash.innovationsAxis"), data: originRows.map((r) => r[1]), backgroundColor: origins.map((o) => ORIGIN_COLORS[o] || "#4d5566") }] },
      options: Dashboard.axes("dash.originAxis", "dash.innovationsAxis"),
    });
    describe("origin", t("dash.byOrigin"), [t("dash.originAxis"), t("dash.innovationsAxis")], originRows, "dash.alt.innovations");
    this.renderHeatmap(p.co_participation);
    this.fillRadarPick();
    this.renderRadar();
    this.renderHistory();
  }

  renderHeatmap(co) {
    const box = clear(document.getElementById("d-heatmap"));
    if (!co || !co.matrix) return;
    const max = Math.max(1, ...co.matrix.flat());
    const head = h("tr", {}, h("td", {}), co.helices.map((k) => h("th", { scope: "col", class: "small", title: label("helix", k) }, h("abbr", { title: label("helix", k) }, label("helixShort", k)))));
    const rows = co.matrix.map((row, i) =>
      h("tr", {}, h("th", { scope: "row", class: "small" }, label("helixShort", co.helices[i])),
        row.map((value) => {
          const cell = h("td", {}, value);
          const share = value / max;
          const [bg, ink] = heatColors(0.08 + 0.85 * share);
          cell.style.backgroundColor = bg;
          cell.style.color = ink;
          return cell;
        })),
    );
    box.append(h("div", { class: "table-wrap" }, h("table", { class: "heatmap" }, h("caption", { class: "muted small" }, t("dash.heatmapCaption")), h("thead", {}, head), h("tbody", {}, rows))));
  }

  fillRadarPick() {
    const pick = document.getElementById("d-radar-pick");
    const innovations = (this.mapData?.innovations || []).slice().sort((a, b) => a.name.localeCompare(b.name));
    fillSelect(pick, [["", t("dash.radarNone")], ...innovations.map((i) => [i.id, i.name])]);
    if (!pick.value && this.rows.length) pick.value = this.rows[0].id;
  }

  async renderRadar() {
    const id = document.getElementById("d-radar-pick").value;
    if (!id) {
      if (this.charts.radar) this.charts.radar.destroy();
      delete this.charts.radar;
      describe("radar", t("dash.radarNone"), [], [], null);
      return;
    }
    let counts;
    const load = this.loads;
    try {
      const c = await api.collaborators(id);
      counts = HELIXES.map((k) => (c.by_helix[k] || []).length);
    } catch (error) {
      document.dispatchEvent(new CustomEvent("hexahelix:error", { detail: error }));
      return;
    }
    // Another region, day or innovation was chosen while this one loaded.
    if (load !== this.loads || document.getElementById("d-radar-pick").value !== id) return;
    const name = this.mapData?.innovations.find((i) => i.id === id)?.name || id;
    this.chart("radar", {
      type: "radar",
      data: { labels: HELIXES.map((k) => label("helix", k)), datasets: [{ label: t("dash.radarActors", { name }), data: counts, backgroundColor: "rgba(11, 92, 173, 0.25)", borderColor: "#0b5cad", pointBackgroundColor: HELIXES.map((k) => HELIX_COLORS[k]) }] },
      options: { scales: { r: { beginAtZero: true, ticks: { precision: 0 } } } },
    });
    describe("radar", t("dash.radarActors", { name }), [t("dash.helixAxis"), t("dash.actorsAxis")], HELIXES.map((k, i) => [label("helix", k), counts[i]]), "dash.alt.actors");
  }

  renderHistory() {
    const msg = clear(document.getElementById("d-history-msg"));
    const points = this.history?.points || [];
    if (this.historyError) msg.append(message(errorText(this.historyError), "error"));
    else if (!points.length) msg.append(message(t("dash.historyNone"), "empty"));
    if (!points.length) {
      if (this.charts.history) this.charts.history.destroy();
      delete this.charts.history;
      describe("history", t("dash.history"), [], [], null);
      return;
    }
    // 1 January of each year is named by its year; the last point (the day looked at) by its day.
    const labels = points.map((pt) => (String(pt.at).endsWith("-01-01") ? String(pt.at).slice(0, 4) : String(pt.at)));
    const title = (key) => ({ display: true, text: t(key), font: { weight: "bold" } });
    this.chart("history", {
      type: "line",
      data: {
        labels,
        datasets: [
          { label: t("dash.activeInnovations"), data: points.map((pt) => pt.active_innovation_count), borderColor: "#0b5cad", backgroundColor: "#0b5cad", yAxisID: "y" },
          { label: t("dash.underCount"), data: points.map((pt) => pt.under_connected_count), borderColor: "#9a1c1c", backgroundColor: "#9a1c1c", yAxisID: "y" },
          { label: t("dash.meanIndex"), data: points.map((pt) => pt.mean_sustainability_index), borderColor: CHIP_COLORS.private, backgroundColor: CHIP_COLORS.private, borderDash: [6, 4], yAxisID: "y1" },
        ],
      },
      options: {
        scales: {
          x: { title: title("dash.historyX") },
          y: { beginAtZero: true, ticks: { precision: 0 }, title: title("dash.historyY") },
          y1: { position: "right", min: 0, max: 100, grid: { drawOnChartArea: false }, title: title("dash.historyY1") },
        },
      },
    });
    const rows = points.map((pt, i) => [labels[i], pt.active_innovation_count, pt.under_connected_count, fmt(pt.mean_sustainability_index, 1)]);
    describe("history", t("dash.history"), [t("dash.historyX"), t("dash.activeInnovations"), t("dash.underCount"), t("dash.meanIndex")], rows, "dash.alt.history");
  }

  csvRows() {
    const rows = [["rank", "id", "name", "coverage", "missing", "sustainability_index", "reasons", "provenance", "membership"]];
    for (const row of this.sorted()) rows.push([row.rank ?? "", row.id, row.name, row.coverage, row.missing.join(";"), row.index ?? "", row.reasons.map(textOf).join("; "), row.provenance || "", row.membership || ""]);
    return rows;
  }

  /** All charts of the dashboard on one white canvas, for the PNG export. */
  composite() {
    const canvases = Object.keys(this.charts).map((name) => document.getElementById(`c-${name}`)).filter((c) => c && c.width);
    const cols = 2;
    const cell = { w: 640, h: 360 };
    const out = document.createElement("canvas");
    out.width = cols * cell.w;
    out.height = Math.max(1, Math.ceil(canvases.length / cols)) * cell.h;
    const ctx = out.getContext("2d");
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, out.width, out.height);
    canvases.forEach((canvas, i) => {
      const scale = Math.min((cell.w - 20) / canvas.width, (cell.h - 20) / canvas.height);
      ctx.drawImage(canvas, (i % cols) * cell.w + 10, Math.floor(i / cols) * cell.h + 10, canvas.width * scale, canvas.height * scale);
    });
    return out;
  }
}
