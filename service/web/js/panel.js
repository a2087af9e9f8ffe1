// The side panel: details of the selected innovation or actor, each section loaded on its own
// so one missing endpoint never blanks the others.
import { api, isAborted, itemsOf } from "./api.js";
import { label, t, textOf } from "./i18n.js";
import { CHIP_COLORS, HELIXES, clear, errorText, fmt, h, message } from "./ui.js";

const INNOVATION_FIELDS = ["id", "origin", "owner_id", "region", "district", "sector", "form", "digital", "stage", "labinov_stage", "launched_on", "program", "membership", "provenance", "source"];
const ACTOR_FIELDS = ["id", "helix", "kind", "region", "district", "scope", "sector", "provenance", "source"];
const VOCAB = { origin: "origin", stage: "stage", form: "form", helix: "helix", membership: "membership", provenance: "provenance", sector: "sector", kind: "actor_kind", scope: "scope", labinov_stage: "labinov_stage" };

function facts(record, fields) {
  const dl = h("dl", { class: "facts" });
  for (const field of fields) {
    let value = record[field];
    if (value === null || value === undefined || value === "") continue;
    if (field in VOCAB) value = label(VOCAB[field], value);
    // An invented record's source is the marker "illustrative": say it in the reader's words.
    if (field === "source" && value === "illustrative") value = label("provenance", value);
    if (typeof value === "boolean") value = value ? t("yes") : t("no");
    dl.append(h("dt", {}, t(field === "owner_id" ? "field.owner" : `field.${field}`)), h("dd", {}, value));
  }
  return dl;
}

/** A small mark after a fact that is invented (an illustrative tie or record). */
export function invented(provenance) {
  return provenance === "illustrative" ? h("span", { class: "mark-illustrative", dataset: { testid: "mark-illustrative" } }, t("provenance.illustrativeMark")) : "";
}

/** Marks after an innovation's name in a list of the portfolio: invented, and/or its programme
 * membership only assumed (no public list of the programme). */
export function innovationMarks(record) {
  const found = [];
  if (record.provenance === "illustrative") found.push(t("provenance.illustrativeMark"));
  if (record.membership === "assumed") found.push(t("provenance.membershipAssumed"));
  return found.map((text) => h("span", { class: "mark-illustrative", dataset: { testid: "innovation-mark" } }, text));
}

function chip(helix, missing = false) {
  const el = h("span", { class: missing ? "chip missing" : "chip" }, label("helix", helix));
  if (!missing) el.style.backgroundColor = CHIP_COLORS[helix] || "#4d5566";
  return el;
}

/** A section that fills itself from a promise, showing words while loading or on error. */
function section(title, testid, load, render) {
  const body = h("div", {}, message(t("panel.loading"), "info", "loading"));
  const el = h("section", { dataset: { testid } }, h("h3", {}, title), body);
  load()
    .then((data) => {
      clear(body);
      body.append(render(data));
      el.dataset.state = "ready";
    })
    .catch((error) => {
      if (isAborted(error)) return; // the view changed; this section is being replaced
      clear(body);
      body.append(message(errorText(error), "error", "section-error"));
      el.dataset.state = "error";
    });
  return el;
}

function bar(value) {
  const fill = h("span");
  fill.style.width = `${Math.max(0, Math.min(1, value || 0)) * 100}%`;
  return h("div", { class: "bar", "aria-hidden": "true" }, fill);
}

export function renderMetrics(m) {
  const wrap = h("div", {});
  wrap.append(
    h("p", { dataset: { testid: "sustainability-index" } }, h("strong", {}, `${t("metric.sustainability_index")}: ${fmt(m.sustainability_index, 1)}`), " / 100"),
  );
  const list = h("ul", { class: "plain" });
  const components = m.components || {};
  for (const [name, value] of Object.entries(components)) {
    const weight = m.weights && typeof m.weights[name] === "number" ? ` (${t("metric.weight")} ${fmt(m.weights[name])})` : "";
    list.append(h("li", {}, `${t(`metric.${name}`)}: ${fmt(value)}${weight}`, bar(value)));
  }
  wrap.append(list);
  const more = h("dl", { class: "facts" });
  for (const key of ["coverage", "diversity", "resilience", "reach", "actor_count", "iga_actor_score"]) {
    if (m[key] !== undefined) more.append(h("dt", {}, t(`metric.${key}`)), h("dd", {}, fmt(m[key])));
  }
  if (m.data_completeness !== undefined) {
    const share = m.data_completeness === null ? "—" : `${Math.round(m.data_completeness * 100)}%`;
    more.append(h("dt", {}, t("metric.data_completeness")), h("dd", { dataset: { testid: "data-completeness" } }, share));
  }
  wrap.append(more);
  if (m.critical_actors && m.critical_actors.length) {
    wrap.append(h("h3", {}, t("panel.critical")), h("ul", { class: "plain critical", dataset: { testid: "critical-actors" } }, m.critical_actors.map((a) =>
      h("li", { dataset: { id: a.id } }, chip(a.helix), " ", a.name, a.provenance === "illustrative" ? h("span", { class: "mark-illustrative" }, t("provenance.restsOnIllustrative")) : "", " ",
        simulateButton(a.id, a.name)))));
  }
  if (m.under_connected && m.reasons && m.reasons.length) {
    wrap.append(h("h3", {}, t("panel.reasons")), h("ul", { dataset: { testid: "reasons" } }, m.reasons.map((r) => h("li", {}, textOf(r)))));
  }
  return wrap;
}

/** "Simulate losing this actor": the what-if view runs the scenario of the actor leaving. */
function simulateButton(id, name) {
  return h("button", {
    type: "button", class: "small", "aria-label": t("panel.simulateName", { name }), dataset: { testid: "simulate-loss", id },
    onClick: () => document.dispatchEvent(new CustomEvent("hexahelix:simulate", { detail: { id } })),
  }, t("panel.simulate"));
}

const REC_SHOWN = 3; // candidates shown per kind; the others wait behind "n more candidates"

function recCard(rec) {
  return h("div", { class: "rec", dataset: { testid: "recommendation", helix: rec.helix, actor: rec.actor_id } },
    h("div", {}, h("strong", {}, rec.name), ` · ${fmt(rec.score)}`),
    h("p", { dataset: { testid: "recommendation-reason" } }, rec.reason || ""));
}

/** Recommendations grouped under a heading per helix kind they would fill: the kinds of the
 * lacks filter (`focus`) first, then the other missing kinds, then the fragile ones. A kind
 * with no actor at all says so (the API's `gaps`). */
function renderRecommendations(body, focus = []) {
  const wrap = h("div", {});
  const recs = body.recommendations || itemsOf(body);
  const gaps = new Map((body.gaps || []).map((gap) => [gap.helix, gap]));
  const why = new Map();
  for (const target of body.targets || []) why.set(target.helix, target.why);
  for (const rec of recs) if (!why.has(rec.helix)) why.set(rec.helix, rec.why);
  for (const gap of gaps.values()) if (!why.has(gap.helix)) why.set(gap.helix, gap.why || "missing");
  const rank = (kind) => (focus.includes(kind) ? 0 : why.get(kind) === "missing" ? 1 : 2);
  const kinds = [...why.keys()].sort((a, b) => rank(a) - rank(b) || HELIXES.indexOf(a) - HELIXES.indexOf(b));
  if (!kinds.length) wrap.append(message(t("panel.noRecommendations"), "empty"));
  for (const kind of kinds) {
    const mine = recs.filter((rec) => rec.helix === kind);
    const group = h("section", { class: "rec-group", dataset: { testid: "rec-group", helix: kind, focus: focus.includes(kind) ? "true" : "false" } },
      h("h4", {}, chip(kind), why.get(kind) ? h("span", { class: "why" }, t(`why.${why.get(kind)}`)) : ""));
    const gap = gaps.get(kind);
    if (gap) {
      group.append(h("p", { class: "message message-empty", dataset: { testid: "rec-gap" } }, gap.why === "no_evidence" ? textOf(gap.message) : `${t("panel.gapNoActor")}${gap.message ? ` — ${textOf(gap.message)}` : ""}`));
    } else if (!mine.length) {
      group.append(message(t("panel.recNone"), "empty", "rec-none"));
    }
    group.append(...mine.slice(0, REC_SHOWN).map(recCard));
    if (mine.length > REC_SHOWN) {
      group.append(h("details", {}, h("summary", {}, t("panel.recMore", { n: mine.length - REC_SHOWN })), ...mine.slice(REC_SHOWN).map(recCard)));
    }
    wrap.append(group);
  }
  return wrap;
}

export function innovationPanel(id, region, { focus = [] } = {}) {
  const wrap = h("div", { dataset: { kind: "innovation", id } });
  const head = h("div", {}, message(t("panel.loading")));
  wrap.append(head);
  api.innovation(id).then(
    (inv) => {
      clear(head).append(h("p", { class: "muted small" }, t("panel.innovation")), h("h3", { dataset: { testid: "panel-name" } }, inv.name), inv.description ? h("p", { class: "small" }, inv.description) : "", facts(inv, INNOVATION_FIELDS));
    },
    (error) => isAborted(error) || clear(head).append(message(errorText(error), "error")),
  );
  const recommendations = section(t("panel.recommendations"), "panel-recommendations", () => api.recommendations(id, region), (body) => renderRecommendations(body, focus));
  wrap.append(
    section(t("panel.collaborators"), "panel-collaborators", () => api.collaborators(id), (c) => {
      const box = h("div", {});
      box.append(h("h3", {}, t("panel.missing")));
      box.append(c.missing.length ? h("p", { dataset: { testid: "missing" } }, c.missing.map((k) => chip(k, true))) : h("p", {}, t("panel.noneMissing")));
      const helices = HELIXES.filter((k) => c.by_helix[k] && c.by_helix[k].length);
      if (!helices.length) box.append(message(t("panel.noCollaborators"), "empty"));
      for (const helix of helices) {
        box.append(h("div", {}, chip(helix)), h("ul", { class: "plain" }, c.by_helix[helix].map((tie) => h("li", {}, `${tie.name} — ${label("role", tie.role)} (${tie.strength})`, invented(tie.provenance)))));
      }
      return box;
    }),
    // With the lacks filter on, who could fill the gap comes before the metrics.
    ...(focus.length ? [recommendations] : []),
    section(t("panel.metrics"), "panel-metrics", () => api.innovationMetrics(id, region), renderMetrics),
    ...(focus.length ? [] : [recommendations]),
  );
  return wrap;
}

export function actorPanel(id, region, { onExplore } = {}) {
  const wrap = h("div", { dataset: { kind: "actor", id } });
  const head = h("div", {}, message(t("panel.loading")));
  wrap.append(head);
  api.actor(id).then(
    (actor) => {
      clear(head).append(
        h("p", { class: "muted small" }, t("panel.actor")),
        h("h3", { dataset: { testid: "panel-name" } }, actor.name),
        actor.description ? h("p", { class: "small" }, actor.description) : "",
        facts(actor, ACTOR_FIELDS),
        h("div", { class: "row" }, onExplore ? h("button", { type: "button", onClick: () => onExplore(id) }, t("panel.explore")) : "", simulateButton(id, actor.name)),
      );
    },
    (error) => isAborted(error) || clear(head).append(message(errorText(error), "error")),
  );
  wrap.append(
    section(t("panel.innovations"), "panel-innovations", () => api.actorInnovations(id), (items) =>
      items.length ? h("ul", { class: "plain" }, items.map((i) => h("li", {}, `${i.name} — ${label("role", i.role)}`, invented(i.provenance)))) : message(t("panel.noPartners"), "empty"),
    ),
    section(t("panel.partners"), "panel-partners", () => api.partners(id), renderPartners),
    section(t("panel.position"), "panel-position", () => actorMetrics(id, region), renderActorMetrics),
  );
  return wrap;
}

export async function actorMetrics(id, region) {
  const items = itemsOf(await api.allActorMetrics(region));
  return items.find((m) => m.id === id) || null;
}

export function renderPartners(partners) {
  if (!partners.length) return message(t("panel.noPartners"), "empty");
  return h("ul", { class: "plain" }, partners.slice(0, 25).map((p) =>
    h("li", {}, chip(p.helix), " ", p.name, " — ",
      p.shared_innovations.length ? t("exp.shared", { n: p.shared_innovations.length }) : "",
      p.partnership ? ` ${t("exp.partnership", { kind: p.partnership.toUpperCase() })}` : "",
      p.provenance === "illustrative" ? h("span", { class: "mark-illustrative" }, t("provenance.restsOnIllustrative")) : ""),
  ));
}

export function renderActorMetrics(m) {
  if (!m) return message(t("panel.noPartners"), "empty");
  const dl = h("dl", { class: "facts" });
  for (const key of ["innovation_count", "degree", "betweenness", "pagerank", "constraint", "effective_size", "community"]) {
    if (m[key] !== undefined) dl.append(h("dt", {}, t(`metric.${key}`)), h("dd", {}, fmt(m[key], 3)));
  }
  const roles = h("dl", { class: "facts", dataset: { testid: "brokerage" } });
  const brokerage = Object.entries(m.brokerage || {});
  for (const [role, count] of brokerage) roles.append(h("dt", {}, t(`broker.${role}`)), h("dd", {}, fmt(count)));
  // What each count means, in words, for a reader who does not know Gould and Fernandez.
  const explained = h("details", { class: "small", dataset: { testid: "brokerage-explained" } },
    h("summary", {}, t("broker.explain")),
    h("p", {}, t("broker.intro")),
    h("dl", { class: "facts" }, brokerage.flatMap(([role]) => [h("dt", {}, t(`broker.${role}`)), h("dd", {}, t(`broker.${role}Hint`))])));
  return h("div", {}, dl, h("h3", {}, t("broker.title")), roles, explained);
}
