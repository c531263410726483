// TensorJudge interviewer pages. One bundle for every page; each module's init() looks for its
// own elements and does nothing on a page without them.
import { renderMath } from "../math.js";
import { init as initTables } from "./tables.js";
import { init as initAuthoring } from "./authoring.js";
import { init as initReport } from "./report.js";
import { init as initAssessments } from "./assessments.js";

function start() {
  for (const init of [() => renderMath(document), initTables, initAuthoring, initReport, initAssessments]) {
    try {
      init();
    } catch (error) {
      console.error(error);
    }
  }
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", start);
} else {
  start();
}
