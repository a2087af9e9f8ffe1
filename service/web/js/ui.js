// Small DOM helpers, colours, messages and downloads shared by the views.
import { api } from "./api.js";
import { label, setVocabulary, t } from "./i18n.js";

// The vocabularies (helix kinds, origins, stages) with their names and colours come from the
// server (GET /api/v1/vocab, graph/vocab.py): the page keeps no copy of its own. Every module
// that draws them imports this one, so they are loaded before anything is drawn.
let vocabularies = {};
try {
  vocabularies = (await api.vocab()).vocabularies;
} catch {
  /* the server is unreachable: start() reports it when the regions fail to load */
}
setVocabulary({ vocabularies });
const terms = (name) => vocabularies[name] || [];
const colours = (name, field) => Object.fromEntries(terms(name).map((term) => [term.code, term[field]]));

export const HELIXES = terms("helix").map((term) => term.code);
export const ORIGINS = terms("origin").map((term) => term.code);
export const STAGES = terms("stage").map((term) => term.code);
// Helix colours: Okabe–Ito (safe for colour-blind readers) and darker variants for white text.
export const HELIX_COLORS = colours("helix", "colour");
export const CHIP_COLORS = colours("helix", "text_colour");
// Innovations: darker tones, drawn as diamonds so they never read as actors.
export const ORIGIN_COLORS = colours("origin", "colour");

/** Build an element: h("p", {class: "x", dataset: {testid: "y"}}, "text", child). */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") el.className = value;
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key.startsWith("on") && typeof value === "function") {
      el.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (key === "text") el.textContent = value;
    else el.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

/** A readable sentence for an API error. */
export function errorText(error) {
  if (!error || error.status === undefined) return t("status.error", { status: "?", detail: String(error) });
  if (error.status === 0) return t("status.network");
  if (error.status === 503) return t("status.storeDown", { detail: error.detail });
  if (error.status === 404 || error.status === 405) {
    if (/^\/(analytics|paths|innovations\/under-connected|innovations\/[^/]+\/recommendations)/.test(error.path || "")) {
      return t("status.notAvailable", { path: `/api/v1${(error.path || "").split("?")[0]}` });
    }
  }
  return t("status.error", { status: error.status, detail: error.detail });
}

/** A message block, e.g. an empty state or an error, in words. */
export function message(text, kind = "info", testid = "message") {
  return h("p", { class: `message message-${kind}`, role: kind === "error" ? "alert" : null, dataset: { testid } }, text);
}

export function fmt(value, digits = 2) {
  if (value === null || value === undefined || Number.isNaN(value)) return "—";
  if (typeof value !== "number") return String(value);
  return Number.isInteger(value) ? String(value) : value.toFixed(digits);
}

export function download(filename, blob) {
  const url = URL.createObjectURL(blob);
  const link = h("a", { href: url, download: filename });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function toCsv(rows) {
  const cell = (value) => {
    const text = value === null || value === undefined ? "" : String(value);
    return /[",\n;]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  return rows.map((row) => row.map(cell).join(",")).join("\r\n") + "\r\n";
}

/** Options for a <select>: [[value, label], ...], keeping the current value when possible. */
export function fillSelect(select, options, keep = true) {
  const previous = select.value;
  clear(select);
  for (const [value, text] of options) select.append(h("option", { value }, text));
  if (keep && options.some(([value]) => value === previous)) select.value = previous;
}

/** Fill `box` with one checkbox per helix kind (the "lacks" filter), checked as in `selected`;
 * `onChange` gets the checked kinds, in HELIXES order. */
export function fillLacks(box, selected, onChange) {
  const focused = box.contains(document.activeElement) ? document.activeElement.value : null;
  clear(box);
  for (const kind of HELIXES) {
    const input = h("input", { type: "checkbox", value: kind, dataset: { testid: `lacks-${kind}` } });
    input.checked = selected.includes(kind);
    input.addEventListener("change", () => onChange(HELIXES.filter((k) => box.querySelector(`input[value="${k}"]`).checked)));
    box.append(h("label", { class: "check" }, input, " ", label("helix", kind)));
  }
  if (focused) box.querySelector(`input[value="${focused}"]`)?.focus();
}

/** The kinds as words: "Media and Academia". */
export function kindsText(kinds) {
  const words = kinds.map((k) => label("helix", k));
  return words.length < 2 ? words.join("") : `${words.slice(0, -1).join(", ")}${t("filters.lacksAnd")}${words.at(-1)}`;
}

/** Whether `missing` holds every kind of `lacks`. */
export const lacksAll = (missing, lacks) => lacks.every((k) => (missing || []).includes(k));
