// Sortable tables: <table data-sortable> with <th data-sort="number|text">. Sorting is in the
// page (the server renders every row); a click on the same header again reverses the order.
export function init() {
  for (const table of document.querySelectorAll("table[data-sortable]")) {
    const headers = table.tHead ? [...table.tHead.rows[0].cells] : [];
    headers.forEach((th, column) => {
      const kind = th.dataset.sort;
      if (!kind) return;
      th.tabIndex = 0;
      th.classList.add("iv-sortable");
      const sort = () => sortBy(table, headers, th, column, kind);
      th.addEventListener("click", sort);
      th.addEventListener("keydown", (event) => {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();
          sort();
        }
      });
    });
  }
}

function cellValue(row, column, kind) {
  const cell = row.cells[column];
  const raw = cell ? (cell.dataset.value ?? cell.textContent.trim()) : "";
  if (kind === "number") {
    const value = parseFloat(raw);
    return Number.isNaN(value) ? -Infinity : value;
  }
  return raw.toLowerCase();
}

function sortBy(table, headers, th, column, kind) {
  const descending = th.getAttribute("aria-sort") !== "descending";
  for (const other of headers) other.removeAttribute("aria-sort");
  th.setAttribute("aria-sort", descending ? "descending" : "ascending");
  const body = table.tBodies[0];
  const rows = [...body.rows];
  rows.sort((a, b) => {
    const x = cellValue(a, column, kind);
    const y = cellValue(b, column, kind);
    const order = x < y ? -1 : x > y ? 1 : 0;
    return descending ? -order : order;
  });
  for (const row of rows) body.appendChild(row);
}
