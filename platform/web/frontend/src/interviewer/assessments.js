// The assessment pages. The server renders plain forms that work without this script; it adds:
// - the steps editor (table[data-steps-editor]): live search, ticked steps kept on top in their
//   order with up/down buttons, positions renumbered as rows move, the share of each weight;
// - a confirmation before revoking (form[data-confirm]);
// - copy buttons beside the candidate links shown once after inviting ([data-copy]).
import { el } from "../dom.js";

export function init() {
  for (const table of document.querySelectorAll("table[data-steps-editor]")) {
    stepsEditor(table);
  }
  for (const form of document.querySelectorAll("form[data-confirm]")) {
    form.addEventListener("submit", (event) => {
      if (!window.confirm(form.dataset.confirm)) event.preventDefault();
    });
  }
  for (const button of document.querySelectorAll("button[data-copy]")) {
    copyButton(button);
  }
}

function stepsEditor(table) {
  const body = table.tBodies[0];
  const rows = () => [...body.querySelectorAll("tr[data-step-row]")];
  const checkbox = (row) => row.querySelector('input[name="step"]');
  const position = (row) => row.querySelector('input[name^="position-"]');
  const weight = (row) => row.querySelector('input[name^="weight-"]');
  const summary = document.querySelector("[data-steps-summary]");

  // Ticked rows first, by their position; the bank's order after them.
  function arrange() {
    const all = rows();
    const ticked = all.filter((row) => checkbox(row).checked);
    const rest = all.filter((row) => !checkbox(row).checked);
    const at = (row) => parseInt(position(row).value, 10) || Infinity;
    ticked.sort((a, b) => at(a) - at(b));
    rest.sort((a, b) => a.dataset.bankIndex - b.dataset.bankIndex);
    for (const row of [...ticked, ...rest]) body.appendChild(row);
    renumber();
  }

  function renumber() {
    let n = 0;
    const ticked = rows().filter((row) => checkbox(row).checked);
    const total = ticked.reduce((sum, row) => sum + (parseInt(weight(row).value, 10) || 0), 0);
    for (const row of rows()) {
      const on = checkbox(row).checked;
      row.classList.toggle("iv-step-on", on);
      position(row).value = on ? String(++n) : "";
      for (const button of row.querySelectorAll("button[data-move]")) button.disabled = !on;
      const share = row.querySelector("[data-share]");
      const w = parseInt(weight(row).value, 10) || 0;
      share.textContent = on && total > 0 ? `${Math.round((1000 * w) / total) / 10}%` : "";
    }
    if (summary) {
      summary.hidden = false;
      summary.textContent = n
        ? `${n} step${n === 1 ? "" : "s"}, total weight ${total}.`
        : "No step chosen yet.";
    }
  }

  function move(row, direction) {
    const ticked = rows().filter((r) => checkbox(r).checked);
    const index = ticked.indexOf(row);
    const other = ticked[index + direction];
    if (!other) return;
    if (direction < 0) body.insertBefore(row, other);
    else body.insertBefore(other, row);
    renumber();
    row.querySelector(`button[data-move="${direction < 0 ? "up" : "down"}"]`).focus();
  }

  rows().forEach((row, index) => {
    row.dataset.bankIndex = String(index);
    const cell = position(row).parentElement;
    cell.append(
      el("button", {
        type: "button",
        class: "iv-move",
        dataset: { move: "up" },
        "aria-label": "Move up",
        title: "Move up",
        on: { click: () => move(row, -1) },
      }, "↑"),
      el("button", {
        type: "button",
        class: "iv-move",
        dataset: { move: "down" },
        "aria-label": "Move down",
        title: "Move down",
        on: { click: () => move(row, 1) },
      }, "↓"),
    );
    weight(row).parentElement.append(el("span", { class: "iv-share iv-muted", dataset: { share: "" } }));
    // The position number stays editable: typing one reorders when the field is left.
    position(row).addEventListener("change", arrange);
    weight(row).addEventListener("input", renumber);
    checkbox(row).addEventListener("change", () => {
      if (checkbox(row).checked) position(row).value = String(Number.MAX_SAFE_INTEGER);
      arrange();
    });
  });
  arrange();

  const search = document.querySelector("[data-steps-search]");
  if (search) {
    const filter = () => {
      const words = search.value.toLowerCase().split(/\s+/).filter(Boolean);
      for (const row of rows()) {
        const text = row.dataset.search || "";
        const match = words.every((word) => text.includes(word));
        row.hidden = !checkbox(row).checked && !match;
      }
    };
    search.addEventListener("input", filter);
    // Filtering in the page keeps what was typed in the form (a GET would reload it).
    search.form.addEventListener("submit", (event) => {
      event.preventDefault();
      filter();
    });
    filter();
  }
}

function copyButton(button) {
  const input = button.parentElement.querySelector("input[data-link]");
  if (!input || !navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(input.value);
      button.textContent = "Copied";
    } catch {
      input.select();
      button.textContent = "Select and copy";
    }
  });
  input.addEventListener("focus", () => input.select());
}
