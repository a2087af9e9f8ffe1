// The page's only door to the server: JSON over /api/v1, errors turned into ApiError.
// Every call asks for the page's language: the server renders its texts (reasons,
// explanations) in it.
import { lang } from "./i18n.js";

const BASE = "/api/v1";

export class ApiError extends Error {
  constructor(status, detail, path) {
    super(detail);
    this.status = status; // 0 when the server could not be reached
    this.detail = detail;
    this.path = path;
  }
}

/** Whether an error only says that the request was dropped because the view changed. */
export const isAborted = (error) => Boolean(error && error.aborted);

// Every request belongs to the view (region and day) it was made for: when the view changes,
// `newView()` aborts them all, so no late answer is ever written into the next view.
let view = new AbortController();

/** Start a new view: drop every request of the old one and forget its cached answers. */
export function newView() {
  view.abort();
  view = new AbortController();
  cache.clear();
}

async function request(path, options = {}) {
  const signal = view.signal;
  let response;
  let text;
  try {
    response = await fetch(BASE + path, {
      headers: { Accept: "application/json", "Accept-Language": lang(), ...(options.body ? { "Content-Type": "application/json" } : {}) },
      signal,
      ...options,
    });
    text = await response.text();
  } catch (error) {
    const failure = new ApiError(0, String(error), path);
    failure.aborted = signal.aborted;
    throw failure;
  }
  if (signal.aborted) {
    const failure = new ApiError(0, "aborted", path);
    failure.aborted = true;
    throw failure;
  }
  let body = null;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = { detail: text.slice(0, 200) };
    }
  }
  if (!response.ok) {
    const detail = body && typeof body.detail === "string" ? body.detail : response.statusText;
    throw new ApiError(response.status, detail, path);
  }
  return body;
}

function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") search.set(key, value);
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}

/** A list answer may come as a bare array or as a page {items}. */
export function itemsOf(body) {
  if (Array.isArray(body)) return body;
  if (body && Array.isArray(body.items)) return body.items;
  return [];
}

/** Today as YYYY-MM-DD in the reader's time zone. */
export function today() {
  const now = new Date();
  return new Date(now.getTime() - now.getTimezoneOffset() * 60000).toISOString().slice(0, 10);
}

// The day the page looks at: every call that takes `at` gets it (the "as of" control).
let day = today();
export const asOf = () => day;
export function setAsOf(value) {
  day = /^\d{4}-\d{2}-\d{2}$/.test(value || "") ? value : today();
  clearCache();
  return day;
}
// "Hanya data terlapor / Reported data only": every dated call then reads the reported part.
let reportedOnly = false;
export const isReportedOnly = () => reportedOnly;
export function setReportedOnly(on) {
  reportedOnly = Boolean(on);
  clearCache();
  return reportedOnly;
}
const dated = (params = {}) => query({ ...params, at: day, provenance: reportedOnly ? "reported" : undefined });
const id = encodeURIComponent;

const PAGE = 500; // the largest page the API serves

/** Every item of a paged list (`{items, total, limit, offset}`), page after page, as of the day. */
async function everything(path, params = {}) {
  const items = [];
  for (;;) {
    const body = await request(`${path}${dated({ ...params, limit: PAGE, offset: items.length })}`);
    const page = itemsOf(body);
    items.push(...page);
    if (Array.isArray(body) || !page.length || items.length >= body.total) return items;
  }
}

const cache = new Map();
function cached(key, load) {
  key = `${key}@${day}@${lang()}@${reportedOnly}`;
  if (!cache.has(key)) {
    const promise = load().catch((error) => {
      cache.delete(key);
      throw error;
    });
    cache.set(key, promise);
  }
  return cache.get(key);
}

export function clearCache() {
  cache.clear();
}

export const api = {
  vocab: () => request("/vocab"),
  regions: () => request("/map/regions"),
  map: (region, community = null) => request(`/map${dated({ region, community })}`),
  layout: (region) => request(`/layout${query({ region })}`),
  innovation: (key) => request(`/innovations/${id(key)}`),
  actor: (key) => request(`/actors/${id(key)}`),
  collaborators: (key) => request(`/innovations/${id(key)}/collaborators${dated()}`),
  actorInnovations: (key) => everything(`/actors/${id(key)}/innovations`),
  partners: (key) => everything(`/actors/${id(key)}/partners`),
  recommendations: (key, region) => request(`/innovations/${id(key)}/recommendations${dated({ region })}`),
  ego: (kind, key, depth, region) => request(`/${kind}s/${id(key)}/ego${dated({ depth, region })}`),
  innovationMetrics: (key, region) => request(`/analytics/innovations/${id(key)}${dated({ region })}`),
  allInnovationMetrics: (region) => cached(`ai:${region}`, () => everything("/analytics/innovations", { region })),
  allActorMetrics: (region) => cached(`aa:${region}`, () => everything("/analytics/actors", { region })),
  portfolio: (region) => request(`/analytics/portfolio${dated({ region })}`),
  history: (region, from, to) => request(`/analytics/portfolio/history${query({ region, from, to, step: "year" })}`),
  coverageGaps: (region) => everything("/innovations/coverage-gaps", { region }),
  underConnected: (region) => everything("/innovations/under-connected", { region }),
  igaGain: (region, limit = 10) => request(`/analytics/iga-gain${dated({ region, limit })}`),
  yearlyDuty: (region, year) => request(`/analytics/yearly-duty${query({ region, year })}`),
  paths: (source, target, k) => request(`/paths${dated({ source, target, k })}`),
  whatIf: (region, scenario) =>
    request(`/analytics/what-if${dated({ region })}`, { method: "POST", body: JSON.stringify(scenario) }),
};
