// The declaration page /declare/<token>: an innovation's owner confirms, corrects or ends the
// recorded ties and adds partners; the answer goes to Bappedalitbang's queue (nothing changes
// until a curator accepts). No account: the token in the address is the only credential.
import { codes, initialLang, label, lang, onLangChange, setLang, setVocabulary, t, translate } from "./i18n.js";
import { call, el, say } from "./collect-messages.js";

// Helix kinds and roles, with their names, from the server (GET /api/v1/vocab): no copy here.
try {
  const answer = await fetch("/api/v1/vocab", { headers: { Accept: "application/json" } });
  if (answer.ok) setVocabulary(await answer.json());
} catch {
  /* unreachable: the codes are shown as they are, and the page's own call reports the error */
}
const HELIXES = codes("helix");
const ROLES = codes("role");
const token = decodeURIComponent(location.pathname.split("/").filter(Boolean)[1] || "");
const status = document.getElementById("status");
const form = document.getElementById("declare-form");
const list = document.getElementById("ties");
let ties = []; // what will be sent, one entry per partner
let innovation = null;

function option(value, text, selected) {
  return el("option", { value, text, selected: value === selected });
}

function select(name, values, chosen, labelOf, onChange) {
  const box = el("select", { name });
  for (const value of values) box.append(option(String(value), labelOf(value), String(chosen)));
  box.addEventListener("change", () => onChange(box.value));
  return box;
}

function field(key, control) {
  return el("label", { className: "field" }, el("span", { text: t(key) }), control);
}

function input(name, type, value, onChange, extra = {}) {
  const box = el("input", { name, type, value: value ?? "", ...extra });
  box.addEventListener("input", () => onChange(box.value));
  return box;
}

function card(tie, index) {
  const item = el("li", { className: `card${tie.ended ? " ended" : ""}`, "data-testid": `tie-${index}` });
  const badge = tie.existing
    ? el("span", { className: `badge ${tie.provenance}`, text: t(`declare.${tie.provenance}`) })
    : el("span", { className: "badge added", text: t("declare.new") });
  item.append(el("h3", {}, el("span", { text: tie.name }), badge));
  item.append(el("p", { className: "small muted", text: label("helix", tie.helix) }));
  const choice = el("div", { className: "choice", role: "radiogroup", "aria-label": tie.name });
  for (const [value, key] of [[false, "declare.keep"], [true, "declare.end"]]) {
    const radio = el("input", { type: "radio", name: `state-${index}`, value: String(value), checked: tie.ended === value });
    radio.addEventListener("change", () => {
      tie.ended = value;
      render();
    });
    choice.append(el("label", {}, radio, el("span", { text: t(key) })));
  }
  item.append(choice);
  const grid = el("div", { className: "grid3" });
  grid.append(field("declare.role", select("role", ROLES, tie.role, (r) => label("role", r), (v) => (tie.role = v))));
  grid.append(field("declare.strength", select("strength", [1, 2, 3], tie.strength, (s) => t(`declare.strength.${s}`), (v) => (tie.strength = Number(v)))));
  grid.append(field("declare.since", input("since", "date", tie.since, (v) => (tie.since = v), { required: true })));
  item.append(grid);
  if (tie.ended) item.append(field("declare.endedOn", input("ended_on", "date", tie.ended_on, (v) => (tie.ended_on = v), { required: true })));
  item.append(field("declare.evidence", input("evidence", "text", tie.evidence, (v) => (tie.evidence = v), { maxlength: 300 })));
  if (!tie.existing) {
    const remove = el("button", { type: "button", className: "link", text: t("declare.remove") });
    remove.addEventListener("click", () => {
      ties.splice(index, 1);
      render();
    });
    item.append(remove);
  }
  return item;
}

function render() {
  translate();
  document.title = `Hexahelix — ${t("declare.title")}`;
  if (!innovation) return;
  document.getElementById("innovation-name").textContent = innovation.name;
  document.getElementById("innovation-owner").textContent = innovation.owner_name
    ? t("declare.owner", { name: innovation.owner_name })
    : "";
  list.replaceChildren(...ties.map(card));
  if (!ties.length) list.append(el("li", { className: "muted", text: t("declare.none") }));
  const helix = document.getElementById("new-helix");
  const chosen = helix.value || "community";
  helix.replaceChildren(...HELIXES.map((h) => option(h, label("helix", h), chosen)));
}

function today() {
  return new Date().toISOString().slice(0, 10);
}

function addPartner(partner) {
  ties.push({ existing: false, role: "implementer", strength: 1, since: today(), ended: false, ended_on: "", evidence: "", ...partner });
  render();
  list.lastElementChild?.querySelector("select")?.focus();
}

let searchTimer = 0;
async function search(text) {
  const results = document.getElementById("search-results");
  if (text.trim().length < 2) {
    results.replaceChildren();
    return;
  }
  try {
    const found = await call(`/declarations/actors?q=${encodeURIComponent(text.trim())}`, token);
    const taken = new Set(ties.map((tie) => tie.actor_id).filter(Boolean));
    const fresh = found.filter((a) => !taken.has(a.id));
    if (!fresh.length) {
      results.replaceChildren(el("li", { className: "small muted", text: t("declare.searchNone") }));
      return;
    }
    results.replaceChildren(...fresh.map((actor) => {
      const pick = el("button", { type: "button", text: `${actor.name} — ${label("helix", actor.helix)}` });
      pick.addEventListener("click", () => {
        results.replaceChildren();
        document.getElementById("search").value = "";
        addPartner({ actor_id: actor.id, name: actor.name, helix: actor.helix });
      });
      return el("li", {}, pick);
    }));
  } catch (error) {
    say(status, t("declare.refused", { detail: error.detail }), "error");
  }
}

function addNew() {
  const name = document.getElementById("new-name");
  if (!name.value.trim()) {
    say(status, t("declare.newNameMissing"), "error");
    name.focus();
    return;
  }
  const kind = document.getElementById("new-kind").value.trim() || "organisation";
  const helix = document.getElementById("new-helix").value;
  addPartner({ new_actor: { name: name.value.trim(), helix, kind, region: innovation.region }, name: name.value.trim(), helix });
  name.value = "";
  document.getElementById("new-kind").value = "";
  status.replaceChildren();
}

function items() {
  return ties.map((tie) => {
    const item = { role: tie.role, strength: tie.strength, since: tie.since };
    if (tie.actor_id) item.actor_id = tie.actor_id;
    else item.new_actor = tie.new_actor;
    if (tie.ended) item.ended_on = tie.ended_on || null;
    if (tie.evidence && tie.evidence.trim()) item.evidence = tie.evidence.trim();
    return item;
  });
}

async function send(event) {
  event.preventDefault();
  const declaredBy = document.getElementById("declared-by");
  if (declaredBy.value.trim().length < 2) {
    say(status, t("declare.nameMissing"), "error");
    declaredBy.focus();
    return;
  }
  if (!ties.length) {
    say(status, t("declare.empty"), "error");
    return;
  }
  const button = document.getElementById("send");
  button.disabled = true;
  say(status, t("declare.sending"));
  try {
    const body = { declared_by: declaredBy.value.trim(), note: document.getElementById("note").value.trim(), items: items() };
    await call("/declarations", token, { method: "POST", body: JSON.stringify(body) });
    form.hidden = true;
    document.getElementById("done").hidden = false;
    status.replaceChildren();
    window.scrollTo(0, 0);
  } catch (error) {
    say(status, t("declare.refused", { detail: error.detail }), "error");
  } finally {
    button.disabled = false;
  }
}

async function start() {
  setLang(initialLang());
  onLangChange(render);
  document.getElementById("lang-toggle").addEventListener("click", () => setLang(lang() === "id" ? "en" : "id"));
  render();
  if (!token.startsWith("hxi_")) {
    say(status, t("declare.noToken"), "error");
    return;
  }
  try {
    const current = await call("/declarations/current", token);
    innovation = current.innovation;
    ties = current.ties.map((tie) => ({
      existing: true,
      actor_id: tie.actor_id,
      name: tie.name,
      helix: tie.helix,
      provenance: tie.provenance,
      role: tie.role,
      strength: tie.strength,
      since: tie.since,
      ended: tie.until !== null,
      ended_on: tie.until || "",
      evidence: "",
    }));
    document.getElementById("innovation").hidden = false;
    form.hidden = false;
    const notes = [t("declare.expires", { day: current.expires_at.slice(0, 10) })];
    if (current.sent) notes.push(t("declare.sent", { n: current.sent }));
    say(status, notes.join(" "));
    render();
  } catch (error) {
    say(status, t("declare.refused", { detail: error.detail }), "error");
  }
}

form.addEventListener("submit", send);
document.getElementById("add-new").addEventListener("click", addNew);
document.getElementById("search").addEventListener("input", (event) => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(() => search(event.target.value), 250);
});
start();
