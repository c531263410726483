// Run public tests / Submit: the POST, the live progress (server-sent events, or polling when
// the stream breaks), the results panel and the submission history.
import { el, clear, panelBody, isMac } from "./dom.js";
import { postJSON, getJSON, readJSON, errorText, HttpError } from "./http.js";
import { clock, duration, score, token } from "./format.js";

const SIZE_LIMIT = 262144; // bytes, as the server counts them (UTF-8)
const FINAL = new Set(["GRADED", "FAILED"]);
const POLL_MS = 1000;
const HISTORY_REFRESH_MS = 3000;
const UNREACHABLE = "Could not reach the server; your code is saved locally. Try again.";
const FAILED_TEXT =
  "This submission could not be graded (an infrastructure problem, not your code); it does not count against you.";
const HIDDEN_TEXT = "Submitted. This assessment does not show hidden-test results.";

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const suiteName = (suite) => (suite === "hidden" ? "Hidden tests" : "Public tests");

export class Grading {
  constructor({ view, autosave, replaceCode, editorEl, runButton, submitButton, errorBox, progress, results, history }) {
    this.view = view;
    this.autosave = autosave;
    this.replaceCode = replaceCode;
    this.submitUrl = editorEl.dataset.submitUrl;
    this.historyUrl = editorEl.dataset.historyUrl;
    this.runButton = runButton;
    this.submitButton = submitButton;
    this.errorBox = errorBox;
    this.progress = progress;
    this.results = results;
    this.history = history;
    this.inFlight = false;
    this.expired = false;
    this.shownId = null; // the submission in #results
    this.showToken = 0; // the latest history click; older answers are dropped
    this.historyTimer = null;

    if (this.errorBox) {
      if (!this.errorBox.hasAttribute("role")) this.errorBox.setAttribute("role", "alert");
      this.errorBox.hidden = !this.errorBox.textContent.trim();
    }
    const mod = isMac ? "Cmd" : "Ctrl";
    // The template's titles win; these are for a page that has none.
    if (runButton) {
      if (!runButton.title) runButton.title = `Run the public tests (${mod}+Enter)`;
      runButton.addEventListener("click", () => this.start("public"));
    }
    if (submitButton) {
      if (!submitButton.title) submitButton.title = `Grade against the hidden tests (${mod}+Shift+Enter)`;
      submitButton.addEventListener("click", () => this.start("hidden"));
    }
    this.setBusy(false);
  }

  // --- Run / Submit -------------------------------------------------------------------------

  async start(suite) {
    if (this.inFlight || this.expired) return;
    const code = this.view.state.doc.toString();
    const size = new Blob([code]).size;
    if (size > SIZE_LIMIT) {
      this.setError(`Your code is ${Math.ceil(size / 1024)} KB; the limit is 256 KB.`);
      return;
    }
    this.setError("");
    this.inFlight = true;
    this.setBusy(true);
    this.autosave.saveNow(); // fire and forget: the draft is kept whatever happens next
    this.resetProgress("Submitting…");

    let response;
    let data;
    try {
      response = await postJSON(this.submitUrl, { code, suite });
      data = await readJSON(response);
    } catch {
      this.abort(UNREACHABLE);
      return;
    }
    if (!response.ok) {
      this.abort(errorText(response, data));
      return;
    }
    if (!data || !data.url) {
      this.abort("The server accepted the code but did not say where to follow it. Reload the page.");
      return;
    }
    this.setLine("Queued…");
    this.loadHistory();
    this.follow(data);
  }

  /** The POST failed: say why, and end this attempt. */
  abort(message) {
    this.setError(message);
    this.setLine("Not submitted.");
    this.setState("done");
    this.inFlight = false;
    this.setBusy(false);
  }

  follow({ url, events_url: eventsUrl }) {
    if (!eventsUrl || typeof EventSource === "undefined") {
      this.poll(url, false);
      return;
    }
    const source = new EventSource(eventsUrl);
    let closed = false;
    const close = () => {
      closed = true;
      source.close();
    };
    const on = (type, handler) =>
      source.addEventListener(type, (event) => {
        if (closed) return;
        let data = {};
        try {
          data = JSON.parse(event.data || "{}") || {};
        } catch {
          return;
        }
        handler(data);
      });

    on("collected", (data) => this.collected(Array.isArray(data.tests) ? data.tests : []));
    on("test_started", (data) => this.testStarted(data.nodeid));
    on("test_finished", (data) => this.testFinished(data.result || {}));
    on("done", () => {
      close();
      this.poll(url, true);
    });
    source.addEventListener("error", () => {
      if (closed) return;
      close();
      this.poll(url, false);
    });
  }

  /** GET the submission (now, or every second) until it is GRADED or FAILED, then show it. */
  async poll(url, immediately) {
    let first = true;
    for (;;) {
      if (!first || !immediately) await sleep(POLL_MS);
      first = false;
      let sub;
      try {
        sub = await getJSON(url);
      } catch (error) {
        if (error instanceof HttpError && error.status >= 400 && error.status < 500 && error.status !== 429) {
          this.setError(error.message);
          this.finish();
          return;
        }
        continue; // network or server trouble: keep asking
      }
      if (sub && FINAL.has(sub.status)) {
        this.renderResults(sub, false);
        this.finish(sub);
        return;
      }
      if (sub && sub.status === "RUNNING" && this.progress && this.progress.dataset.state !== "running") {
        this.setState("running");
        if (!this.tests || !this.tests.size) this.setLine("Running…");
      }
    }
  }

  finish(sub) {
    this.setLine(sub ? (sub.status === "FAILED" ? "Not graded." : "Done.") : "Stopped.");
    if (sub) markCurrentStep(sub);
    this.setState("done");
    this.inFlight = false;
    this.setBusy(false);
    this.loadHistory();
  }

  // --- #progress ----------------------------------------------------------------------------

  resetProgress(line) {
    this.tests = new Map(); // nodeid -> li
    this.started = new Set();
    this.total = 0;
    if (!this.progress) return;
    const body = panelBody(this.progress);
    clear(body);
    this.line = el("p", { class: "tj-progress-line", "aria-live": "polite" }, line);
    this.list = el("ol", { class: "tj-progress-tests" });
    body.append(this.line, this.list);
    this.setState("queued");
  }

  setState(state) {
    if (this.progress) this.progress.dataset.state = state;
  }

  setLine(text) {
    if (this.line) this.line.textContent = text;
  }

  runningLine() {
    this.setLine(this.total ? `Running ${this.started.size}/${this.total}` : `Running ${this.started.size}`);
  }

  testItem(nodeid, name) {
    let li = this.tests.get(nodeid);
    if (!li) {
      li = el(
        "li",
        { class: "tj-progress-test pending", dataset: { nodeid } },
        el("span", { class: "tj-progress-name" }, name || nodeid),
        el("span", { class: "tj-progress-outcome" }, ""),
      );
      this.tests.set(nodeid, li);
      if (this.list) this.list.appendChild(li);
    }
    return li;
  }

  collected(tests) {
    this.total = tests.length;
    for (const test of tests) this.testItem(String(test.nodeid ?? test.name ?? ""), test.name);
    this.setState("running");
    this.runningLine();
  }

  testStarted(nodeid) {
    if (nodeid === undefined || nodeid === null) return;
    const li = this.testItem(String(nodeid));
    li.className = "tj-progress-test running";
    li.querySelector(".tj-progress-outcome").textContent = "running";
    this.started.add(String(nodeid));
    this.setState("running");
    this.runningLine();
  }

  testFinished(result) {
    const nodeid = String(result.nodeid ?? result.name ?? "");
    const li = this.testItem(nodeid, result.name);
    const outcome = String(result.outcome || "unknown");
    li.className = `tj-progress-test outcome-${token(outcome)}`;
    const time = typeof result.duration_s === "number" ? ` · ${duration(result.duration_s)}` : "";
    li.querySelector(".tj-progress-outcome").textContent = outcome + time;
    if (!this.started.has(nodeid)) {
      this.started.add(nodeid);
      this.runningLine();
    }
  }

  // --- #results -----------------------------------------------------------------------------

  renderResults(sub, withCode) {
    if (!this.results) return;
    this.shownId = sub.id;
    this.markShown();
    const body = panelBody(this.results);
    clear(body);
    this.results.dataset.submission = String(sub.id ?? "");

    const meta = el(
      "p",
      { class: "tj-result-meta" },
      el("span", { class: "tj-result-suite" }, suiteName(sub.suite)),
      sub.created_at ? el("time", { datetime: sub.created_at }, ` · ${clock(sub.created_at)}`) : null,
      sub.id !== undefined ? el("span", { class: "tj-result-id" }, ` · #${sub.id}`) : null,
    );

    if (sub.status === "FAILED") {
      body.append(meta, el("p", { class: "tj-result-note tj-result-failed" }, FAILED_TEXT));
    } else if (sub.results_hidden) {
      body.append(el("p", { class: "tj-result-note" }, HIDDEN_TEXT));
    } else if (!FINAL.has(sub.status)) {
      body.append(meta, el("p", { class: "tj-result-note" }, sub.status === "RUNNING" ? "Being graded…" : "Queued…"));
    } else {
      body.append(this.resultHead(sub), meta);
      if (sub.message) body.append(el("pre", { class: "tj-result-message" }, sub.message));
      const tests = Array.isArray(sub.tests) ? sub.tests : [];
      if (tests.length) body.append(testTable(tests));
    }

    if (withCode && typeof sub.code === "string") body.append(this.codeBlock(sub.code));
  }

  resultHead(sub) {
    const verdict = String(sub.verdict ?? "");
    const head = el(
      "div",
      { class: "tj-result-head" },
      el(
        "span",
        { id: "verdict", class: `verdict verdict-${token(verdict)}${verdict === "ACCEPTED" ? " verdict-ok" : ""}` },
        verdict,
      ),
    );
    const shown = score(sub.score);
    if (shown) head.append(el("span", { class: "tj-result-score" }, `Score ${shown}/100`));
    const speed = sub.speed;
    if (speed && typeof speed.ratio === "number") {
      const interval =
        typeof speed.ci_low === "number" && typeof speed.ci_high === "number"
          ? ` (${speed.ci_low.toFixed(2)}–${speed.ci_high.toFixed(2)})`
          : "";
      head.append(
        el(
          "span",
          {
            class: "tj-result-speed",
            title:
              "The reference solution's run time divided by yours: higher is faster, 1.00× is as fast, 0.50× twice as slow. " +
              "In parentheses, the confidence interval of the measurement.",
          },
          `${speed.ratio.toFixed(2)}× the reference${interval}`,
        ),
      );
    }
    return head;
  }

  codeBlock(code) {
    const note = el("span", { class: "tj-code-note", "aria-live": "polite" });
    const button = el(
      "button",
      {
        type: "button",
        class: "tj-button tj-copy-button",
        disabled: this.expired,
        on: {
          click: () => {
            if (this.expired) return;
            this.replaceCode(code);
            note.textContent = `Copied into the editor (${isMac ? "Cmd" : "Ctrl"}+Z undoes it).`;
          },
        },
      },
      "Copy into the editor",
    );
    return el(
      "div",
      { class: "tj-result-code" },
      el("div", { class: "tj-result-code-bar" }, el("span", {}, "Code of this submission"), button, note),
      el("pre", { class: "tj-code" }, code),
    );
  }

  // --- #history -----------------------------------------------------------------------------

  async loadHistory() {
    if (!this.history || !this.historyUrl) return;
    clearTimeout(this.historyTimer);
    let list = this.history.querySelector("ol");
    if (!list) {
      list = el("ol");
      this.history.appendChild(list);
    }
    let note = this.history.querySelector(":scope > .tj-history-note");
    const say = (text) => {
      if (!note) {
        note = el("p", { class: "tj-history-note" });
        list.after(note);
      }
      note.textContent = text;
      note.hidden = !text;
    };

    let data;
    try {
      data = await getJSON(this.historyUrl);
    } catch (error) {
      say(`Could not load your submissions: ${error instanceof HttpError ? error.message : "the server is not reachable."}`);
      return;
    }
    const submissions = Array.isArray(data && data.submissions) ? data.submissions : [];
    clear(list);
    for (const sub of submissions) list.appendChild(this.historyItem(sub));
    say(submissions.length ? "" : "No submissions yet.");
    this.markShown();

    // A submission still being graded that this page is not following (the page was reloaded
    // meanwhile): refresh the list until it is done.
    if (!this.inFlight && submissions.some((sub) => !FINAL.has(sub.status))) {
      this.historyTimer = setTimeout(() => this.loadHistory(), HISTORY_REFRESH_MS);
    }
  }

  historyItem(sub) {
    let outcome;
    let kind;
    if (sub.status === "FAILED") [outcome, kind] = ["Not graded", "failed"];
    else if (sub.status === "QUEUED") [outcome, kind] = ["Queued", "pending"];
    else if (sub.status === "RUNNING") [outcome, kind] = ["Running", "pending"];
    else if (sub.verdict) [outcome, kind] = [String(sub.verdict), sub.verdict === "ACCEPTED" ? "ok" : "bad"];
    else [outcome, kind] = ["Submitted", "pending"];
    const shown = score(sub.score);
    return el(
      "li",
      { class: "tj-history-item", dataset: { id: String(sub.id ?? "") } },
      el(
        "button",
        {
          type: "button",
          class: "tj-history-button",
          title: "Show this submission and its code",
          on: { click: () => this.show(sub) },
        },
        el("time", { class: "tj-history-time", datetime: sub.created_at || null }, clock(sub.created_at)),
        el("span", { class: "tj-history-suite" }, sub.suite === "hidden" ? "Hidden" : "Public"),
        el("span", { class: `tj-history-verdict verdict-${token(outcome)} history-${kind}` }, outcome),
        shown ? el("span", { class: "tj-history-score" }, `${shown}/100`) : null,
      ),
    );
  }

  async show(item) {
    const ticket = ++this.showToken;
    this.shownId = item.id;
    this.markShown();
    try {
      const sub = await getJSON(item.url);
      if (ticket === this.showToken) this.renderResults(sub, true);
    } catch (error) {
      if (ticket !== this.showToken || !this.results) return;
      const body = panelBody(this.results);
      clear(body);
      body.append(
        el(
          "p",
          { class: "tj-result-note tj-result-failed" },
          `Could not load this submission: ${error instanceof HttpError ? error.message : "the server is not reachable."}`,
        ),
      );
    }
  }

  markShown() {
    if (!this.history) return;
    for (const li of this.history.querySelectorAll("li.tj-history-item")) {
      li.classList.toggle("current", this.shownId !== null && li.dataset.id === String(this.shownId));
    }
  }

  // --- state --------------------------------------------------------------------------------

  setError(text) {
    if (!this.errorBox) return;
    this.errorBox.textContent = text;
    this.errorBox.hidden = !text;
  }

  setBusy(busy) {
    for (const button of [this.runButton, this.submitButton]) {
      if (button) button.disabled = busy || this.expired;
    }
    if (this.progress) this.progress.setAttribute("aria-busy", busy ? "true" : "false");
  }

  expire() {
    this.expired = true;
    this.setBusy(this.inFlight);
    for (const button of document.querySelectorAll(".tj-copy-button")) button.disabled = true;
  }
}

function testTable(tests) {
  const rows = [];
  for (const test of tests) {
    const outcome = String(test.outcome ?? "");
    rows.push(
      el(
        "tr",
        { class: `tj-test outcome-${token(outcome)}${test.is_speed ? " tj-test-speed" : ""}` },
        el(
          "td",
          { class: "tj-test-name", title: test.description || null },
          String(test.name ?? ""),
          test.is_speed ? el("span", { class: "tj-tag", title: "A speed test" }, "speed") : null,
        ),
        el("td", { class: "tj-test-outcome" }, el("span", { class: `tj-outcome outcome-${token(outcome)}` }, outcome)),
        el("td", { class: "tj-test-time" }, duration(test.duration_s)),
      ),
    );
    if (test.message !== null && test.message !== undefined && test.message !== "") {
      rows.push(
        el(
          "tr",
          { class: "tj-test-message" },
          el("td", { colspan: 3 }, el("pre", {}, String(test.message))),
        ),
      );
    }
  }
  return el(
    "table",
    { class: "tj-tests" },
    el("thead", {}, el("tr", {}, el("th", { scope: "col" }, "Test"), el("th", { scope: "col" }, "Outcome"), el("th", { scope: "col" }, "Time"))),
    el("tbody", {}, rows),
  );
}

// The sidebar's badge of this step after a graded Submit, as the server computes it on the next
// page load (assessments.selectors.attempt_steps): the best hidden-suite score decides.
const STEP_STATES = {
  accepted: "Accepted",
  partial: "Partly passing",
  submitted: "Submitted",
};

function markCurrentStep(sub) {
  if (sub.suite !== "hidden" || sub.status !== "GRADED") return;
  const badge = document.querySelector(".tj-item.current .tj-state");
  if (!badge || badge.classList.contains("state-accepted")) return;
  const state = sub.results_hidden ? "submitted" : sub.score >= 100 ? "accepted" : "partial";
  badge.className = `tj-state state-${state}`;
  badge.textContent = STEP_STATES[state];
}
