// The countdown in #timer. The server owns the deadline; this only counts down to it and, at
// zero, locks the page and reloads it so the server can say why nothing more is accepted.
import { countdown } from "./format.js";
import { serverNow } from "./http.js";

const WARNING_SECONDS = 5 * 60;
const RELOAD_AFTER_MS = 2000;
const RELOAD_GUARD_MS = 30000;

const expiryHandlers = [];
let expired = false;

/** Run `handler` when the time is up (at once if it already is). */
export function onExpire(handler) {
  if (expired) handler();
  else expiryHandlers.push(handler);
}

export function isExpired() {
  return expired;
}

export function startTimer(body = document.body) {
  const deadline = Date.parse(body.dataset.deadline || "");
  if (Number.isNaN(deadline)) return;
  const display = document.getElementById("timer");

  const tick = () => {
    const left = deadline - serverNow();
    if (left <= 0) {
      expire(display);
      return;
    }
    const seconds = Math.ceil(left / 1000);
    if (display) {
      display.textContent = countdown(seconds);
      display.classList.toggle("warning", seconds < WARNING_SECONDS);
    }
    // Wake just after the next whole second of the remaining time, whatever the last tick
    // cost or however late a background tab ran it.
    setTimeout(tick, (left % 1000 || 1000) + 25);
  };
  tick();
}

function expire(display) {
  if (expired) return;
  expired = true;
  if (display) {
    display.textContent = "Time is up";
    display.classList.add("warning", "expired");
  }
  for (const handler of expiryHandlers.splice(0)) {
    try {
      handler();
    } catch (error) {
      console.error(error);
    }
  }
  // Reload so the server says what happens now, but not in a loop: if this page was already
  // reloaded for this reason moments ago, the server still shows it and the lock stays.
  const key = `tj-expired-reload:${location.pathname}`;
  let last = 0;
  try {
    last = Number(sessionStorage.getItem(key)) || 0;
  } catch {
    // no sessionStorage: reload anyway
  }
  if (Date.now() - last < RELOAD_GUARD_MS) return;
  setTimeout(() => {
    try {
      sessionStorage.setItem(key, String(Date.now()));
    } catch {
      // ignore
    }
    location.reload();
  }, RELOAD_AFTER_MS);
}
