// TensorJudge candidate pages. One bundle for every page; body[data-page] says which.
import { renderMath } from "./math.js";
import { startTimer, onExpire } from "./timer.js";
import { Autosave } from "./autosave.js";
import { createEditor, replaceDoc } from "./editor.js";
import { Grading } from "./grading.js";
import { initQuestion } from "./question.js";

function initExercise() {
  const editorEl = document.getElementById("editor");
  if (!editorEl) return;

  let initial = "";
  const initialEl = document.getElementById("initial-code");
  try {
    const parsed = JSON.parse(initialEl ? initialEl.textContent : '""');
    if (typeof parsed === "string") initial = parsed;
  } catch (error) {
    console.error("#initial-code is not a JSON string", error);
  }

  const autosave = new Autosave({
    url: editorEl.dataset.draftUrl,
    status: document.getElementById("save-status"),
    initial,
    savedAt: editorEl.dataset.savedAt || "",
    toBody: (code) => ({ code }),
    debounceMs: 800,
  });
  const local = autosave.takeLocal();

  let grading = null;
  const run = () => grading && grading.start("public");
  const submit = () => grading && grading.start("hidden");
  const save = () => autosave.saveNow();

  const { view, setReadOnly } = createEditor(editorEl, initial, {
    onChange: (text) => autosave.change(text),
    onRun: run,
    onSubmit: submit,
    onSave: save,
  });
  window.tjEditor = view;

  grading = new Grading({
    view,
    autosave,
    replaceCode: (code) => {
      replaceDoc(view, code);
      view.focus();
    },
    editorEl,
    runButton: document.getElementById("run-button"),
    submitButton: document.getElementById("submit-button"),
    errorBox: document.getElementById("submit-error"),
    progress: document.getElementById("progress"),
    results: document.getElementById("results"),
    history: document.getElementById("history"),
  });

  if (local !== null) {
    replaceDoc(view, local); // one undoable change: Mod-z brings back the server's draft
    autosave.saveNow();
  }

  // The same keys when the focus is outside the editor (the editor handles its own first).
  document.addEventListener("keydown", (event) => {
    if (event.defaultPrevented || !(event.ctrlKey || event.metaKey) || event.altKey) return;
    if (event.key === "Enter") {
      event.preventDefault();
      if (event.shiftKey) submit();
      else run();
    } else if (event.key === "s" || event.key === "S") {
      event.preventDefault();
      save();
    }
  });

  onExpire(() => {
    setReadOnly(true);
    grading.expire();
  });
  grading.loadHistory();
}

// "Finish" cannot be undone: one misclick must not end an attempt.
function confirmFinish() {
  const form = document.querySelector("form.tj-finish");
  if (!form) return;
  form.addEventListener("submit", (event) => {
    const sure = window.confirm(
      "Finish the assessment now? You cannot come back to it; what you saved and submitted is kept.",
    );
    if (!sure) event.preventDefault();
  });
}

function init() {
  const page = document.body.dataset.page;
  renderMath(document);
  confirmFinish();
  if (page === "exercise") initExercise();
  else if (page === "question") initQuestion();
  // Last, so that an already-passed deadline locks what the lines above set up.
  startTimer(document.body);
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
else init();
