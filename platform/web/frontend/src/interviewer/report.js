// Reports and similarity: "Expand all" for a step's submissions, and the two code panes of a
// similarity pair scrolling together. The pages read fine without it (plain <details>, plots
// are server-drawn SVG).
export function init() {
  for (const button of document.querySelectorAll("[data-toggle-details]")) {
    const section = document.getElementById(button.dataset.toggleDetails);
    if (!section) continue;
    button.addEventListener("click", () => {
      const details = [...section.querySelectorAll("details")];
      const open = !details.every((d) => d.open);
      for (const d of details) d.open = open;
      button.textContent = open ? "Collapse all" : "Expand all";
    });
  }
  for (const pair of document.querySelectorAll("[data-sync-scroll]")) {
    syncScroll([...pair.querySelectorAll("[data-scroll-pane]")]);
  }
}

// Panes of different lengths scroll by the same share of their height. The pane being
// scrolled by the user leads; the echo event from setting the other's position is ignored.
function syncScroll(panes) {
  if (panes.length < 2) return;
  let leader = null;
  for (const pane of panes) {
    pane.addEventListener("scroll", () => {
      if (leader && leader !== pane) return;
      leader = pane;
      const range = pane.scrollHeight - pane.clientHeight;
      const share = range > 0 ? pane.scrollTop / range : 0;
      for (const other of panes) {
        if (other === pane) continue;
        other.scrollTop = share * (other.scrollHeight - other.clientHeight);
      }
      requestAnimationFrame(() => {
        leader = null;
      });
    });
  }
}
