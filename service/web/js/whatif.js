// What-if: remove actors and/or add ties, then compare each affected innovation before and after.
import { ActorPicker } from "./actor-picker.js";
import { api, isAborted } from "./api.js";
import { label, t } from "./i18n.js";
import { innovationMarks } from "./panel.js";
import { clear, errorText, fillSelect, fmt, h, message } from "./ui.js";

export class WhatIf {
  constructor(map) {
    this.map = map;
    this.region = null;
    this.ties = [];
    this.result = null;
    this.names = new Map();
    this.request = 0; // the latest run; answers to older ones are dropped
    this.el = {
      tieActor: document.getElementById("w-tie-actor"),
      tieInnovation: document.getElementById("w-tie-innovation"),
      ties: document.getElementById("w-ties"),
      result: document.getElementById("w-result"),
    };
    this.picker = new ActorPicker({
      input: document.getElementById("w-search"),
      list: document.getElementById("w-options"),
      chosen: document.getElementById("w-removed"),
      count: document.getElementById("w-count"),
    });
    document.getElementById("w-tie-add").addEventListener("click", () => this.addTie());
    document.getElementById("w-run").addEventListener("click", () => this.run());
    document.getElementById("w-reset").addEventListener("click", () => this.reset());
  }

  setData(region, mapData) {
    this.request += 1;
    this.region = region;
    const actors = (mapData?.actors || []).slice().sort((a, b) => a.name.localeCompare(b.name));
    const innovations = (mapData?.innovations || []).slice().sort((a, b) => a.name.localeCompare(b.name));
    this.names = new Map([...actors, ...innovations].map((x) => [x.id, x.name]));
    this.picker.setActors(actors);
    fillSelect(this.el.tieActor, actors.map((a) => [a.id, a.name]));
    fillSelect(this.el.tieInnovation, innovations.map((i) => [i.id, i.name]));
    this.reset();
  }

  addTie() {
    const tie = { actor_id: this.el.tieActor.value, innovation_id: this.el.tieInnovation.value };
    if (!tie.actor_id || !tie.innovation_id) return;
    if (!this.ties.some((x) => x.actor_id === tie.actor_id && x.innovation_id === tie.innovation_id)) this.ties.push(tie);
    this.renderTies();
  }

  renderTies() {
    const list = clear(this.el.ties);
    if (!this.ties.length) list.append(h("li", { class: "muted small" }, t("wi.noTies")));
    this.ties.forEach((tie, i) => {
      const text = `${this.names.get(tie.actor_id)} → ${this.names.get(tie.innovation_id)}`;
      list.append(h("li", { class: "small" }, text, " ", h("button", { type: "button", class: "icon", "aria-label": t("wi.tieRemove", { actor: this.names.get(tie.actor_id), innovation: this.names.get(tie.innovation_id) }), onClick: () => { this.ties.splice(i, 1); this.renderTies(); } }, "×")));
    });
  }

  removed() {
    return [...this.picker.picked];
  }

  /** "Simulate losing this actor" (from a panel): a scenario of that one actor leaving, run. */
  simulate(id) {
    this.reset();
    this.picker.set([id]);
    return this.run();
  }

  /** Words again in the page's language, keeping the scenario and its result. */
  retranslate() {
    this.picker.close();
    this.picker.renderChosen();
    this.renderTies();
    this.render();
  }

  reset() {
    this.picker.set([]);
    this.ties = [];
    this.result = null;
    this.renderTies();
    clear(this.el.result);
    this.el.result.hidden = true;
    this.map.clearOverlay();
  }

  async run() {
    const removed = this.removed();
    const box = clear(this.el.result);
    box.hidden = false;
    if (!removed.length && !this.ties.length) {
      box.append(message(t("wi.nothing"), "empty"));
      return;
    }
    box.append(message(t("status.loading")));
    const request = ++this.request;
    let result;
    try {
      result = await api.whatIf(this.region, { remove_actors: removed, add_ties: this.ties });
    } catch (error) {
      if (request === this.request && !isAborted(error)) clear(box).append(message(errorText(error), "error"));
      return;
    }
    if (request !== this.request) return;
    this.result = result;
    this.removedIds = removed;
    this.ranTies = [...this.ties];
    this.render();
    this.map.showWhatIf(removed, this.result);
    // The result is what the person waits for: bring it into view and give it the focus.
    box.focus({ preventScroll: true });
    box.scrollIntoView({ block: "nearest" });
  }

  /** The scenario in words: "Tanpa Universitas A dan dengan 1 ikatan baru". */
  scenarioText(removed) {
    const names = removed.map((id) => this.picker.nameOf(id));
    const without = names.length ? t("wi.without", { names: names.join(", ") }) : "";
    const ties = this.ranTies || [];
    const added = ties.length ? t("wi.withTies", { n: ties.length }) : "";
    const text = without && added ? t("wi.both", { without, added }) : without || added;
    return text.charAt(0).toUpperCase() + text.slice(1);
  }

  render() {
    const box = clear(this.el.result);
    if (!this.result) return;
    const r = this.result;
    box.hidden = false;
    const changes = r.changes || [];
    const effect = (c) => (c.coverage_delta < 0 || c.sustainability_delta < 0 ? "worse" : c.coverage_delta > 0 || c.sustainability_delta > 0 ? "better" : "same");
    const count = { worse: 0, better: 0, same: 0 };
    for (const c of changes) count[effect(c)] += 1;
    box.append(h("h2", {}, t("wi.resultTitle")));
    // One sentence of what changed, then the figures it rests on.
    box.append(h("p", { dataset: { testid: "whatif-summary" } }, t("wi.sentence", {
      scenario: this.scenarioText(this.removedIds || []), worse: count.worse, better: count.better,
      before: r.under_connected_before, after: r.under_connected_after,
      ib: fmt(r.mean_sustainability_before, 1), ia: fmt(r.mean_sustainability_after, 1),
    })));
    if (!changes.length) {
      box.append(message(t("wi.noChange"), "empty", "whatif-empty"));
      return;
    }
    const became = new Set(r.became_under_connected || []);
    const stopped = new Set(r.no_longer_under_connected || []);
    const rows = changes.map((c) => {
      const before = c.before.missing || [];
      const after = c.after.missing || [];
      const lost = after.filter((k) => !before.includes(k));
      const gained = before.filter((k) => !after.includes(k));
      const delta = c.sustainability_delta ?? 0;
      // Every row says what happened to it: under-connected or not, kinds lost or gained, and
      // the index's move (the one change every touched innovation has).
      const status = [
        became.has(c.id) ? t("wi.became") : "",
        stopped.has(c.id) ? t("wi.stopped") : "",
        lost.length ? t("wi.lost", { kinds: lost.map((k) => label("helix", k)).join(", ") }) : "",
        gained.length ? t("wi.gained", { kinds: gained.map((k) => label("helix", k)).join(", ") }) : "",
        delta < 0 ? t("wi.indexDown", { d: fmt(-delta, 1) }) : delta > 0 ? t("wi.indexUp", { d: fmt(delta, 1) }) : t("wi.indexSame"),
      ].filter(Boolean).join("; ");
      const kind = effect(c);
      return h("tr", { class: kind, dataset: { testid: "whatif-row", id: c.id, effect: kind } },
        h("td", {}, c.name, ...innovationMarks(c.before)),
        h("td", { class: "num" }, `${c.before.coverage} → ${c.after.coverage}`),
        h("td", { class: "num" }, `${fmt(c.before.sustainability_index, 1)} → ${fmt(c.after.sustainability_index, 1)}`),
        h("td", { dataset: { testid: "whatif-status" } }, h("span", { class: "effect" }, t(`wi.effect.${kind}`)), ` — ${status}`));
    });
    // What the row colours (and the innovations' borders on the map) mean.
    const legend = h("ul", { class: "plain effects", dataset: { testid: "whatif-legend" } },
      ["worse", "better", "same"].filter((k) => count[k]).map((k) =>
        h("li", { class: k }, h("span", { class: `swatch effect-${k}`, "aria-hidden": "true" }), t(`wi.legend.${k}`, { n: count[k] }))));
    box.append(legend, h("div", { class: "table-wrap" }, h("table", {},
      h("caption", { class: "muted small" }, t("wi.caption")),
      h("thead", {}, h("tr", {}, ["innovation", "coverage", "index", "status"].map((k) => h("th", { scope: "col" }, t(`wi.col.${k}`))))),
      h("tbody", {}, rows))));
  }

  csvRows() {
    if (!this.result) return null;
    const rows = [["id", "name", "coverage_before", "coverage_after", "index_before", "index_after", "under_connected_before", "under_connected_after", "provenance", "membership", "data_completeness_before", "data_completeness_after"]];
    for (const c of this.result.changes || []) rows.push([c.id, c.name, c.before.coverage, c.after.coverage, c.before.sustainability_index, c.after.sustainability_index, c.before.under_connected, c.after.under_connected, c.before.provenance || "", c.before.membership || "", c.before.data_completeness ?? "", c.after.data_completeness ?? ""]);
    return rows;
  }
}
