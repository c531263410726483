// A validation's status and the gate's table, rendered from the JSON the server sends (the
// same shape as the server-rendered partial), and polling until the validation is finished.
import { el, clear } from "../dom.js";
import { getJSON } from "../http.js";

const BADGES = {
  passed: ["iv-badge iv-badge-ok", "passed"],
  failed: ["iv-badge iv-badge-bad", "failed"],
  error: ["iv-badge iv-badge-bad", "could not run"],
};

export function statusBadge(status) {
  const [cls, text] = BADGES[status] || ["iv-badge iv-badge-warn", `${status}…`];
  return el("span", { class: cls, dataset: { status } }, text);
}

export function renderValidation(payload, { status, body }) {
  clear(status);
  status.appendChild(statusBadge(payload.status));
  clear(body);
  if (payload.problems.length) {
    body.appendChild(el("ul", { class: "au-problems" }, payload.problems.map((p) => el("li", {}, p))));
  }
  if (!payload.finished) {
    body.appendChild(el("p", { class: "iv-muted" }, "Running in the sandbox (reference ×3, public tests, starter, every mutant)…"));
  }
  if (!payload.table.length) return;
  const rows = payload.table.map((row) =>
    el(
      "tr",
      { class: row.ok ? "au-row-ok" : "au-row-bad", dataset: { label: row.label, ok: String(row.ok) } },
      el("td", {}, row.label),
      el("td", {}, row.expected),
      el("td", {}, el("code", {}, row.verdict)),
      el("td", { class: "num" }, String(row.score)),
      el(
        "td",
        {},
        el("span", { class: row.ok ? "iv-badge iv-badge-ok" : "iv-badge iv-badge-bad" }, row.ok ? "ok" : "failure"),
        " ",
        row.outcome,
      ),
    ),
  );
  body.appendChild(
    el(
      "table",
      { class: "iv-table au-gate-table" },
      el(
        "thead",
        {},
        el("tr", {}, ["Grading", "Expected", "Verdict", "Score", "Result"].map((h) => el("th", h === "Score" ? { class: "num" } : {}, h))),
      ),
      el("tbody", {}, rows),
    ),
  );
}

/** Poll `url` until the validation is finished; onUpdate(payload) after every answer. */
export function pollValidation(url, onUpdate) {
  let delay = 1500;
  let stopped = false;
  const tick = async () => {
    if (stopped) return;
    try {
      const { validation } = await getJSON(url);
      onUpdate(validation);
      if (validation.finished) return;
    } catch (error) {
      console.error(error);
    }
    delay = Math.min(delay * 1.3, 5000);
    setTimeout(tick, delay);
  };
  setTimeout(tick, delay);
  return () => {
    stopped = true;
  };
}

/** The standalone validation page: follow it until it is finished. */
export function initValidationPage() {
  const page = document.getElementById("au-validation-page");
  if (!page || page.dataset.finished === "true") return;
  const status = document.getElementById("au-validation-status");
  const body = document.getElementById("au-validation-body");
  const wait = document.getElementById("au-validation-wait");
  pollValidation(page.dataset.poll, (payload) => {
    renderValidation(payload, { status, body });
    if (payload.finished && wait) wait.remove();
  });
}
