// Helpers of the pages that collect the real network (/declare/<token>, /curate) and of the
// dashboard's progress card: elements with text only, the status box, the API with a token.

/** A new element with text (never HTML: every text from the server is set as text). */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "text") node.textContent = String(value);
    else if (name === "className") node.className = value;
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

/** Show one message in the page's status box. */
export function say(box, text, kind = "") {
  box.replaceChildren(el("p", { className: `message ${kind ? `message-${kind}` : ""}`, text }));
}

/** JSON over /api/v1 with a bearer token; throws {status, detail} on an error answer. */
export async function call(path, token, options = {}) {
  const headers = { Accept: "application/json", Authorization: `Bearer ${token}` };
  if (options.body) headers["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(`/api/v1${path}`, { ...options, headers });
  } catch (error) {
    throw { status: 0, detail: String(error) };
  }
  const text = await response.text();
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = { detail: text.slice(0, 200) };
  }
  if (!response.ok) throw { status: response.status, detail: (body && body.detail) || response.statusText };
  return body;
}
