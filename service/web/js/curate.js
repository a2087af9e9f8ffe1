// The curator's queue /curate: each proposed declaration against today's ties (added, changed,
// confirmed, ended; likely duplicates of new actors), accepted item by item or rejected with a
// reason. The curator's API key stays in this tab only (sessionStorage).
import { initialLang, label, lang, onLangChange, setLang, t, translate } from "./i18n.js";
import { call, el, say } from "./collect-messages.js";

const KEY = "hexahelix.curatorKey";
const status = document.getElementById("status");
const queue = document.getElementById("queue");
const keyBox = document.getElementById("api-key");
let reviews = [];

function key() {
  return keyBox.value.trim();
}

function tieText(values) {
  if (!values) return "—";
  const parts = [label("role", values.role), `${t("declare.strength")} ${values.strength}`, `${t("declare.since")} ${values.since}`];
  if (values.until) parts.push(`${t("declare.endedOn")} ${values.until}`);
  parts.push(values.provenance === "illustrative" ? t("declare.illustrative") : t("declare.reported"));
  return parts.join(" · ");
}

function row(item, index) {
  const take = el("input", { type: "checkbox", "aria-label": `${t("curate.col.take")}: ${item.actor_name}`, checked: !item.likely_duplicates.length, "data-index": item.index });
  const actor = el("td", {}, el("span", { text: item.actor_name }));
  if (item.new_actor) actor.append(el("span", { className: "badge added", text: t("declare.new") }));
  if (item.helix) actor.append(el("div", { className: "small muted", text: label("helix", item.helix) }));
  if (item.likely_duplicates.length) {
    const names = item.likely_duplicates.map((d) => `${d.name} (${d.id})`).join(", ");
    actor.append(el("div", { className: "small warn", text: t("curate.duplicate", { names }) }));
  }
  if (item.evidence) actor.append(el("div", { className: "small", text: item.evidence }));
  return el(
    "tr",
    { "data-testid": `diff-${index}` },
    el("td", {}, take),
    el("td", {}, el("span", { className: `badge ${item.change}`, text: t(`curate.change.${item.change}`) })),
    actor,
    el("td", { text: tieText(item.before) }),
    el("td", { text: tieText(item.after) }),
  );
}

function entry(review) {
  const d = review.declaration;
  const card = el("li", { className: "card", "data-testid": `declaration-${d.id}` });
  card.append(el("h3", { text: `#${d.id} — ${review.innovation_name || d.innovation_id}` }));
  card.append(el("p", { className: "small muted", text: t("curate.by", { who: d.declared_by, day: d.submitted_at.slice(0, 10) }) }));
  if (d.note) card.append(el("p", { className: "small", text: t("curate.note", { note: d.note }) }));
  const head = el("tr", {}, ...["take", "change", "actor", "before", "after"].map((c) => el("th", { scope: "col", text: t(`curate.col.${c}`) })));
  const table = el("table", {}, el("thead", {}, head), el("tbody", {}, ...review.diff.map(row)));
  card.append(el("div", { className: "diff" }, table));
  if (review.untouched.length) card.append(el("p", { className: "small muted", text: t("curate.untouched", { ids: review.untouched.join(", ") }) }));
  const reason = el("textarea", { rows: 2, maxlength: 1000, "data-testid": "reason" });
  card.append(el("label", { className: "field" }, el("span", { text: t("curate.reason") }), reason));
  const accept = el("button", { type: "button", className: "primary", "data-testid": "accept", text: t("curate.accept") });
  const reject = el("button", { type: "button", "data-testid": "reject", text: t("curate.reject") });
  accept.addEventListener("click", () => decide(d.id, "accept", card, reason));
  reject.addEventListener("click", () => decide(d.id, "reject", card, reason));
  card.append(el("div", { className: "row" }, accept, reject));
  return card;
}

async function decide(id, action, card, reason) {
  let body;
  if (action === "reject") {
    if (reason.value.trim().length < 3) {
      say(status, t("curate.reasonMissing"), "error");
      reason.focus();
      return;
    }
    body = { reason: reason.value.trim() };
  } else {
    const items = [...card.querySelectorAll("input[type=checkbox]")].filter((c) => c.checked).map((c) => Number(c.dataset.index));
    body = { items, reason: reason.value.trim() || null };
  }
  try {
    const done = await call(`/declarations/${id}/${action}`, key(), { method: "POST", body: JSON.stringify(body) });
    const written = done.declaration.decisions.filter((x) => x.accepted).length;
    say(status, action === "accept" ? t("curate.accepted", { id, n: written }) : t("curate.rejected", { id }), "");
    reviews = reviews.filter((r) => r.declaration.id !== id);
    draw();
  } catch (error) {
    say(status, t("status.error", { status: error.status, detail: error.detail }), "error");
  }
}

function draw() {
  translate();
  document.title = `Hexahelix — ${t("curate.title")}`;
  queue.replaceChildren(...reviews.map(entry));
}

async function load(event) {
  event?.preventDefault();
  if (!key()) return;
  try {
    sessionStorage.setItem(KEY, key());
  } catch {
    /* storage may be disabled */
  }
  try {
    const page = await call("/declarations?status=proposed&limit=50", key());
    reviews = page.items;
    draw();
    say(status, page.total ? t("curate.count", { n: page.total }) : t("curate.empty"), page.total ? "" : "empty");
  } catch (error) {
    say(status, t("status.error", { status: error.status, detail: error.detail }), "error");
  }
}

setLang(initialLang());
onLangChange(draw);
draw();
document.getElementById("lang-toggle").addEventListener("click", () => setLang(lang() === "id" ? "en" : "id"));
document.getElementById("key-form").addEventListener("submit", load);
try {
  keyBox.value = sessionStorage.getItem(KEY) || "";
} catch {
  /* storage may be disabled */
}
if (key()) load();
