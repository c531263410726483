// Autosave: nothing the candidate types is ever lost.
//
// Every change goes to localStorage at once ("tj-draft:" + URL -> {content, at}) and to the
// server after a pause. A network error or a 5xx is retried with backoff, always with the
// latest content; any other refusal (4xx: too big, time is up, ...) is shown and that same
// content is not sent again. The local copy is dropped once the server has exactly it, and a
// local copy newer than the server's draft is restored on the next load.
import { postJSON, readJSON, errorText } from "./http.js";
import { clock } from "./format.js";
import { isExpired } from "./timer.js";

const BACKOFF_SECONDS = [1, 2, 4, 8, 16, 30];
// Statuses that say "not now" rather than "not this": retried like a 5xx.
const RETRYABLE = new Set([408, 425, 429]);

export class Autosave {
  /**
   * url: the draft endpoint (also names the localStorage entry).
   * status: the span#save-status element (or null).
   * initial: the content the server rendered into the page, as a string.
   * savedAt: the server's data-saved-at (ISO) or "".
   * toBody: content string -> the JSON body to POST.
   */
  constructor({ url, status, initial, savedAt, toBody, debounceMs }) {
    this.url = url;
    this.key = `tj-draft:${url}`;
    this.status = status;
    this.toBody = toBody;
    this.debounceMs = debounceMs;
    this.latest = initial;
    this.saved = initial; // what the server holds, as far as this page knows
    this.initial = initial;
    this.savedAt = savedAt || "";
    this.rejected = null; // content the server refused with a 4xx: not sent again
    this.inFlight = false;
    this.pending = false; // a save was asked for while one was in flight
    this.debounce = null;
    this.retryTimer = null;
    this.retryTick = null;
    this.attempt = 0;

    if (this.status && !this.status.textContent.trim()) this.showSaved();
    window.addEventListener("online", () => {
      if (this.retryTimer) this.saveNow();
    });
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "hidden" && this.dirty()) this.saveNow();
    });
    window.addEventListener("beforeunload", (event) => {
      if (this.dirty() && !isExpired()) {
        event.preventDefault();
        event.returnValue = ""; // older browsers need it set to show the prompt
      }
    });
  }

  /** True while some content is not known to be on the server. */
  dirty() {
    return this.latest !== this.saved;
  }

  /**
   * The locally kept content to put back into the page, or null. It is restored only when it
   * differs from what the server rendered and is newer than the server's draft; otherwise it is
   * stale and dropped.
   */
  takeLocal() {
    const entry = this.readLocal();
    if (!entry) return null;
    const serverTime = Date.parse(this.savedAt);
    const newer =
      !this.savedAt || Number.isNaN(serverTime) || (typeof entry.at === "number" && entry.at > serverTime);
    if (entry.content !== this.initial && newer) return entry.content;
    this.forget();
    return null;
  }

  /** The content changed (every keystroke): keep it locally now, send it after a pause. */
  change(content) {
    if (content === this.latest) return;
    this.latest = content;
    this.writeLocal(content);
    // While a retry is waiting it will send the latest content anyway.
    if (this.retryTimer) return;
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => this.flush(false), this.debounceMs);
  }

  /** Save at once (Mod-s, before a run, when the tab is hidden); cancels a retry's wait. */
  saveNow() {
    this.flush(true);
  }

  flush(explicit) {
    clearTimeout(this.debounce);
    this.debounce = null;
    if (this.inFlight) {
      this.pending = true;
      return;
    }
    if (this.retryTimer) {
      if (!explicit) return;
      this.stopRetry();
    }
    if (this.latest === this.saved) {
      this.forget();
      this.showSaved();
      return;
    }
    if (this.latest === this.rejected) return;
    this.send(this.latest);
  }

  async send(content) {
    this.inFlight = true;
    this.setStatus("Saving…", "saving");
    let response = null;
    let data = null;
    try {
      response = await postJSON(this.url, this.toBody(content));
      data = await readJSON(response);
    } catch {
      response = null;
    }
    this.inFlight = false;

    if (response && response.ok) {
      this.saved = content;
      this.savedAt = (data && data.saved_at) || new Date().toISOString();
      this.rejected = null;
      this.attempt = 0;
      if (this.latest === content) this.forget();
      this.showSaved();
    } else if (!response || response.status >= 500 || RETRYABLE.has(response.status)) {
      this.scheduleRetry();
    } else {
      this.rejected = content;
      this.attempt = 0;
      this.setStatus(errorText(response, data), "error");
    }

    if (this.pending) {
      this.pending = false;
      if (!this.retryTimer) this.flush(false);
    }
  }

  scheduleRetry() {
    const delay = BACKOFF_SECONDS[Math.min(this.attempt, BACKOFF_SECONDS.length - 1)];
    this.attempt += 1;
    let left = delay;
    const show = () => this.setStatus(`Not saved — retrying in ${left}s`, "error");
    show();
    this.retryTick = setInterval(() => {
      left -= 1;
      if (left > 0) show();
    }, 1000);
    this.retryTimer = setTimeout(() => {
      this.stopRetry();
      this.flush(true);
    }, delay * 1000);
  }

  stopRetry() {
    clearTimeout(this.retryTimer);
    clearInterval(this.retryTick);
    this.retryTimer = null;
    this.retryTick = null;
  }

  showSaved() {
    const time = this.savedAt ? clock(this.savedAt) : "";
    if (time) this.setStatus(`Saved ${time}`, "saved");
    else if (this.status && this.status.classList.contains("error")) this.setStatus("", null);
  }

  setStatus(text, kind) {
    if (!this.status) return;
    this.status.textContent = text;
    this.status.classList.remove("saving", "saved", "error");
    if (kind) this.status.classList.add(kind);
  }

  readLocal() {
    try {
      const entry = JSON.parse(localStorage.getItem(this.key) || "null");
      return entry && typeof entry.content === "string" ? entry : null;
    } catch {
      return null;
    }
  }

  writeLocal(content) {
    try {
      localStorage.setItem(this.key, JSON.stringify({ content, at: Date.now() }));
    } catch {
      // Storage full or disabled: the server copy is all there is; nothing to do here.
    }
  }

  forget() {
    try {
      localStorage.removeItem(this.key);
    } catch {
      // ignore
    }
  }
}
