// Text formatting shared by the timer, autosave and results.

const pad = (n) => String(n).padStart(2, "0");

/** hh:mm:ss in local time, from a Date, an ISO string or milliseconds; "" when unreadable. */
export function clock(value) {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return "";
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** Remaining time: h:mm:ss from an hour up, mm:ss below. */
export function countdown(totalSeconds) {
  const s = Math.max(0, Math.floor(totalSeconds));
  const hours = Math.floor(s / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const seconds = s % 60;
  return hours > 0 ? `${hours}:${pad(minutes)}:${pad(seconds)}` : `${pad(minutes)}:${pad(seconds)}`;
}

/** A test's time: "12 ms" under a second, "1.23 s" from a second up, "—" when unknown. */
export function duration(seconds) {
  if (typeof seconds !== "number" || !Number.isFinite(seconds)) return "—";
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  return `${seconds < 10 ? seconds.toFixed(2) : seconds.toFixed(1)} s`;
}

/** A score out of 100: integers as they are, other numbers to one decimal. */
export function score(value) {
  if (typeof value !== "number" || !Number.isFinite(value)) return "";
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

/** A CSS class token from a server word (ACCEPTED -> accepted, WRONG_ANSWER -> wrong-answer). */
export function token(word) {
  return (
    String(word ?? "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "") || "unknown"
  );
}
