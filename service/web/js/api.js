// The page's only door to the server: JSON over /api/v1, errors turned into ApiError.
const BASE = "/api/v1";

export class ApiError extends Error {
  constructor(status, detail, path) {
    super(detail);
    this.status = status; // 0 when the server could not be reached
    this.detail = detail;
    this.path = path;
  }
}

async function request(path, options = {}) {
  let response;
  try {
    response = await fetch(BASE + path, {
      headers: { Accept: "application/json", ...(options.body ? { "Content-Type": "application/json" } : {}) },
      ...options,
    });
  } catch (error) {
    throw new ApiError(0, String(error), path);
  }
  let body = null;
  const text = await response.text();
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

const cache = new Map();
function cached(key, load) {
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
  regions: () => request("/map/regions"),
  map: (region) => request(`/map${query({ region })}`),
  layout: (region) => request(`/layout${query({ region })}`),
  innovation: (id) => request(`/innovations/${encodeURIComponent(id)}`),
  actor: (id) => request(`/actors/${encodeURIComponent(id)}`),
  collaborators: (id) => request(`/innovations/${encodeURIComponent(id)}/collaborators`),
  actorInnovations: (id) => request(`/actors/${encodeURIComponent(id)}/innovations`),
  partners: (id) => request(`/actors/${encodeURIComponent(id)}/partners`),
  recommendations: (id) => request(`/innovations/${encodeURIComponent(id)}/recommendations`),
  innovationMetrics: (id, region) =>
    request(`/analytics/innovations/${encodeURIComponent(id)}${query({ region })}`),
  allInnovationMetrics: (region) =>
    cached(`ai:${region}`, () => request(`/analytics/innovations${query({ region })}`)),
  allActorMetrics: (region) =>
    cached(`aa:${region}`, () => request(`/analytics/actors${query({ region })}`)),
  portfolio: (region) => request(`/analytics/portfolio${query({ region })}`),
  history: (region, from, to) =>
    request(`/analytics/portfolio/history${query({ region, from, to, step: "year" })}`),
  coverageGaps: (region) => request(`/innovations/coverage-gaps${query({ region })}`),
  underConnected: (region) => request(`/innovations/under-connected${query({ region })}`),
  paths: (source, target, k) => request(`/paths${query({ source, target, k })}`),
  whatIf: (region, scenario) =>
    request(`/analytics/what-if${query({ region })}`, {
      method: "POST",
      body: JSON.stringify(scenario),
    }),
};
