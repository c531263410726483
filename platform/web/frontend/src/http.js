// fetch() with the page's CSRF token, same-origin credentials and JSON both ways.

// The server's clock, as far as its Date headers tell (one-second resolution): the countdown
// runs on it so that a candidate whose own clock is off does not lose time or see it locked
// early. Differences under 3 s are noise and ignored.
let clockOffsetMs = 0;

export function serverNow() {
  return Date.now() + clockOffsetMs;
}

function noteServerTime(response, sentAt) {
  const header = response.headers.get("Date");
  const server = header ? Date.parse(header) : Number.NaN;
  if (Number.isNaN(server)) return;
  const offset = server + 500 - (sentAt + Date.now()) / 2;
  clockOffsetMs = Math.abs(offset) >= 3000 ? offset : 0;
}

async function request(url, init) {
  const sentAt = Date.now();
  const response = await fetch(url, init);
  noteServerTime(response, sentAt);
  return response;
}

export function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.getAttribute("content") || "" : "";
}

/** POST JSON; resolves to the Response (any status), rejects only on a network error. */
export function postJSON(url, body) {
  return request(url, {
    method: "POST",
    credentials: "same-origin",
    cache: "no-store",
    headers: {
      "Content-Type": "application/json",
      Accept: "application/json",
      "X-CSRFToken": csrfToken(),
    },
    body: JSON.stringify(body),
  });
}

export class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** GET JSON; rejects with HttpError (carrying the server's "error" text) on a non-2xx answer. */
export async function getJSON(url) {
  const response = await request(url, {
    credentials: "same-origin",
    cache: "no-store",
    headers: { Accept: "application/json" },
  });
  const data = await readJSON(response);
  if (!response.ok) throw new HttpError(response.status, errorText(response, data));
  return data;
}

/** The body as JSON, or null when it is not JSON (a proxy's HTML error page, an empty body). */
export async function readJSON(response) {
  try {
    return await response.json();
  } catch {
    return null;
  }
}

/** The server's {"error": "..."} text, or a plain description of the status. */
export function errorText(response, data) {
  if (data && typeof data.error === "string" && data.error.trim()) return data.error;
  const reason = response.statusText ? ` ${response.statusText}` : "";
  return `The server answered ${response.status}${reason}.`;
}
