// The partnership explorer: introduction paths between two actors (drawn on the map), and one
// actor's partners with its brokerage roles.
import { api, isAborted } from "./api.js";
import { t, textOf } from "./i18n.js";
import { actorMetrics, renderActorMetrics, renderPartners } from "./panel.js";
import { clear, errorText, fillSelect, fmt, h, message } from "./ui.js";

/** The sources behind a hop or a partner (each fact's ties), one cell of a CSV download. */
function sourcesOf(link) {
  return [...new Set((link.evidence || []).flatMap((fact) => fact.sources))].join(" | ");
}

export class Explorer {
  constructor(map) {
    this.map = map;
    this.region = null;
    this.paths = [];
    this.partners = [];
    this.actors = [];
    this.request = 0; // the latest request; answers to older ones are dropped
    this.el = {
      source: document.getElementById("x-source"),
      target: document.getElementById("x-target"),
      k: document.getElementById("x-k"),
      paths: document.getElementById("x-paths"),
      actor: document.getElementById("x-actor"),
      actorResult: document.getElementById("x-actor-result"),
    };
    document.getElementById("x-find").addEventListener("click", () => this.findPaths());
    document.getElementById("x-clear").addEventListener("click", () => {
      this.map.clearOverlay();
      clear(this.el.paths);
      this.paths = [];
    });
    this.el.actor.addEventListener("change", () => this.showActor(this.el.actor.value));
  }

  /** A region's (or day's) actors to pick from. The same region on another day keeps the
   * question: its paths and partners are asked again for the new day (and drawn when the
   * explorer is shown); another region starts empty. */
  setData(region, mapData) {
    this.request += 1;
    const same = region === this.region;
    this.region = region;
    this.actors = (mapData?.actors || []).slice().sort((a, b) => a.name.localeCompare(b.name));
    this.fillPickers(same);
    const had = this.paths.length;
    this.paths = [];
    this.partners = [];
    clear(this.el.paths);
    clear(this.el.actorResult);
    if (!same) return;
    if (had && this.el.source.value && this.el.target.value) this.findPaths({ focus: false });
    if (this.el.actor.value) this.showActor(this.el.actor.value, { select: false });
  }

  fillPickers(keep = true) {
    const options = [["", t("exp.pick")], ...this.actors.map((a) => [a.id, a.name])];
    for (const select of [this.el.source, this.el.target, this.el.actor]) fillSelect(select, options, keep);
  }

  /** Everything again in the page's language (the server writes the explanations in it). */
  retranslate() {
    this.fillPickers();
    if (this.paths.length) this.findPaths({ focus: false });
    if (this.el.actor.value) this.showActor(this.el.actor.value, { select: false });
  }

  async findPaths({ focus = true } = {}) {
    const source = this.el.source.value;
    const target = this.el.target.value;
    const box = clear(this.el.paths);
    if (!source || !target || source === target) {
      box.append(message(t("exp.same"), "empty"));
      return;
    }
    box.append(message(t("status.loading")));
    const request = ++this.request;
    let paths;
    try {
      paths = (await api.paths(source, target, this.el.k.value)).paths || [];
    } catch (error) {
      if (request === this.request && !isAborted(error)) clear(box).append(message(errorText(error), "error"));
      return;
    }
    if (request !== this.request) return;
    this.paths = paths;
    clear(box);
    if (!this.paths.length) {
      box.append(message(t("exp.noPath"), "empty", "no-path"));
      this.map.clearOverlay();
      return;
    }
    const names = new Map();
    for (const path of this.paths) for (const a of path.actors) names.set(a.id, a.name);
    this.paths.forEach((path, p) => {
      box.append(
        h("section", { dataset: { testid: "path" } },
          h("h3", {}, t("exp.path", { n: p + 1, cost: fmt(path.cost) })),
          path.note ? h("p", { class: path.direct ? "direct" : "small", dataset: { testid: path.direct ? "path-direct" : "path-note" } }, textOf(path.note)) : "",
          path.illustrative_note ? h("p", { class: "small mark-illustrative", dataset: { testid: "path-illustrative" } }, textOf(path.illustrative_note)) : "",
          h("ol", { class: "small" }, path.hops.map((hop, i) =>
            h("li", { dataset: { testid: "hop" } }, h("strong", {}, `${p + 1}.${i + 1} ${names.get(hop.source) || hop.source} → ${names.get(hop.target) || hop.target}`), h("br"), textOf(hop.explanation)))),
        ),
      );
    });
    // Drawn now if the explorer is on screen; otherwise when it is shown (see main.js setView).
    if (document.body.dataset.view === "explorer") this.map.showPaths(this.paths);
    if (!focus) return; // drawn again (e.g. in another language): the focus stays where it is
    box.focus({ preventScroll: true });
    box.scrollIntoView({ block: "start" });
  }

  async showActor(id, { select = true } = {}) {
    const box = clear(this.el.actorResult);
    this.partners = [];
    if (!id) return;
    if (select) this.map.select(`actor:${id}`, true, { focus: false }); // the focus stays on the picker
    const partnersBox = h("div", {}, message(t("status.loading")));
    const rolesBox = h("div", {}, message(t("status.loading")));
    box.append(h("h3", {}, t("panel.partners")), partnersBox, h("h3", {}, t("panel.position")), rolesBox);
    api.partners(id).then(
      (partners) => {
        this.partners = partners;
        clear(partnersBox).append(renderPartners(partners));
      },
      (error) => isAborted(error) || clear(partnersBox).append(message(errorText(error), "error")),
    );
    actorMetrics(id, this.region).then(
      (m) => clear(rolesBox).append(renderActorMetrics(m)),
      (error) => isAborted(error) || clear(rolesBox).append(message(errorText(error), "error")),
    );
  }

  csvRows() {
    if (this.paths.length) {
      const rows = [["path", "hop", "source", "target", "weight", "shared_innovations", "partnership", "explanation", "provenance", "sources"]];
      this.paths.forEach((path, p) => path.hops.forEach((hop, i) => rows.push([p + 1, i + 1, hop.source, hop.target, hop.weight, (hop.shared_innovations || []).join(";"), hop.partnership || "", textOf(hop.explanation), hop.provenance || "", sourcesOf(hop)])));
      return rows;
    }
    if (this.partners.length) {
      const rows = [["actor_id", "name", "helix", "shared_innovations", "partnership", "provenance", "sources"]];
      for (const p of this.partners) rows.push([p.actor_id, p.name, p.helix, p.shared_innovations.join(";"), p.partnership || "", p.provenance || "", sourcesOf(p)]);
      return rows;
    }
    return null;
  }
}
