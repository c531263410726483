// The exercise editor page: the package's files in a list (add, rename, delete), CodeMirror on
// the selected one, Save (button or Ctrl-S) posting every file at once, a live preview of
// statement.md, and Validate / Publish following the validation of the saved content.
import { el, clear } from "../dom.js";
import { postJSON, readJSON, errorText } from "../http.js";
import { renderMath } from "../math.js";
import { createFileEditor } from "./authoring_editor.js";
import { renderValidation, pollValidation } from "./authoring_validation.js";

const GROUPS = ["exercise.toml", "statement.md", "starter.py", "solution.py", "tests/public/", "tests/hidden/", "mutants/", "support/"];
const PREVIEW_DELAY_MS = 400;

function groupOf(path) {
  const index = GROUPS.findIndex((g) => (g.endsWith("/") ? path.startsWith(g) : path === g));
  return index === -1 ? GROUPS.length : index;
}

function byGroup(a, b) {
  return groupOf(a) - groupOf(b) || (a < b ? -1 : a > b ? 1 : 0);
}

export function initEditorPage() {
  const root = document.getElementById("authoring");
  const dataNode = document.getElementById("authoring-data");
  if (!root || !dataNode) return;
  const data = JSON.parse(dataNode.textContent);
  const $ = (id) => document.getElementById(id);
  const ui = {
    list: $("au-file-list"),
    path: $("au-file-path"),
    fileMessage: $("au-file-message"),
    current: $("au-current-path"),
    saveState: $("au-save-state"),
    fileError: $("au-file-error"),
    preview: $("au-preview"),
    previewBody: $("au-preview-body"),
    status: $("au-validation-status"),
    note: $("au-validation-note"),
    body: $("au-validation-body"),
    publish: $("au-publish"),
    refusal: $("au-publish-refusal"),
    validate: $("au-validate"),
  };

  // files: what the editor holds now; saved: what the server holds (the last save).
  const files = { ...data.files };
  let saved = { ...data.files };
  let savedHash = data.content_hash;
  let validation = data.validation;
  let errors = {};
  let selected = files["statement.md"] !== undefined ? "statement.md" : Object.keys(files).sort(byGroup)[0];
  let saving = null;
  let previewTimer = null;
  let stopPolling = null;

  const dirty = () => {
    const paths = Object.keys(files);
    return paths.length !== Object.keys(saved).length || paths.some((p) => saved[p] !== files[p]);
  };

  const editor = createFileEditor($("au-code"), {
    onChange(path, text) {
      files[path] = text;
      refreshState();
      markFile(path);
      if (path === "statement.md") schedulePreview();
    },
    onSave: () => save(),
  });

  function markFile(path) {
    const item = ui.list.querySelector(`[data-path="${CSS.escape(path)}"]`);
    if (item) item.classList.toggle("au-modified", saved[path] !== files[path]);
  }

  function renderList() {
    clear(ui.list);
    for (const path of Object.keys(files).sort(byGroup)) {
      const classes = ["au-file"];
      if (path === selected) classes.push("au-selected");
      if (saved[path] !== files[path]) classes.push("au-modified");
      if (errors[path]) classes.push("au-error");
      ui.list.appendChild(
        el(
          "li",
          {},
          el(
            "button",
            {
              type: "button",
              class: classes.join(" "),
              title: errors[path] || path,
              dataset: { path },
              "aria-current": path === selected ? "true" : null,
              on: { click: () => select(path) },
            },
            path,
          ),
        ),
      );
    }
  }

  function select(path) {
    selected = path;
    editor.show(path, files[path]);
    ui.current.textContent = path;
    ui.path.value = path;
    ui.preview.hidden = path !== "statement.md";
    if (path === "statement.md") schedulePreview(0);
    showFileError();
    renderList();
  }

  function showFileError() {
    const others = Object.keys(errors).filter((p) => p && p !== selected);
    let message = errors[selected] ? `${selected}: ${errors[selected]}` : errors[""] || "";
    if (!message && others.length) message = `Also to fix: ${others.map((p) => `${p}: ${errors[p]}`).join("; ")}`;
    ui.fileError.hidden = !message;
    ui.fileError.textContent = message;
  }

  function say(message) {
    ui.fileMessage.textContent = message;
  }

  function refreshState() {
    if (saving) return;
    ui.saveState.textContent = dirty() ? "Unsaved changes" : "Saved";
    refreshPublish();
  }

  function refreshPublish() {
    let refusal = null;
    if (dirty()) refusal = "Save, then validate, before publishing.";
    else if (!validation) refusal = "Validate the exercise first: only a validated content can be published.";
    else if (validation.content_hash !== savedHash) refusal = "The draft changed since its last validation: validate it again, then publish.";
    else if (!validation.finished) refusal = "The validation is still running: publish once it has passed.";
    else if (validation.status !== "passed") refusal = "The last validation did not pass: fix what it reports, validate again, then publish.";
    ui.publish.disabled = refusal !== null;
    ui.publish.title = refusal || "Publish this content as a new version";
    ui.refusal.textContent = refusal || "This content passed validation: it can be published.";
    ui.note.textContent = validation && validation.content_hash !== savedHash ? "of an earlier content: the draft changed since" : "";
  }

  async function save() {
    if (saving) return saving;
    const sent = { ...files };
    ui.saveState.textContent = "Saving…";
    saving = (async () => {
      try {
        const response = await postJSON(data.urls.draft, { files: sent });
        const body = await readJSON(response);
        if (!response.ok) {
          errors = body && body.errors ? { ...body.errors } : { "": errorText(response, body) };
          ui.saveState.textContent = "Not saved: see the errors";
          return false;
        }
        saved = sent;
        savedHash = body.content_hash;
        errors = { ...body.warnings };
        ui.saveState.textContent = `Saved ${new Date().toLocaleTimeString()}`;
        return true;
      } catch (error) {
        ui.saveState.textContent = "Not saved: the server cannot be reached; try again";
        return false;
      } finally {
        saving = null;
        renderList();
        showFileError();
        refreshPublish();
        if (dirty() && ui.saveState.textContent.startsWith("Saved")) ui.saveState.textContent = "Unsaved changes";
      }
    })();
    return saving;
  }

  function schedulePreview(delay = PREVIEW_DELAY_MS) {
    clearTimeout(previewTimer);
    previewTimer = setTimeout(async () => {
      const markdown = files["statement.md"];
      if (markdown === undefined) return;
      try {
        const response = await postJSON(data.urls.preview, { markdown });
        const body = await readJSON(response);
        if (!response.ok) {
          ui.previewBody.textContent = errorText(response, body);
          return;
        }
        if (files["statement.md"] !== markdown) return; // a newer preview is on its way
        ui.previewBody.innerHTML = body.html; // sanitized by the server (web.statements)
        renderMath(ui.previewBody);
      } catch (error) {
        ui.previewBody.textContent = "The preview cannot be reached right now.";
      }
    }, delay);
  }

  function showValidation(payload) {
    validation = payload;
    renderValidation(payload, { status: ui.status, body: ui.body });
    refreshPublish();
  }

  function follow(payload) {
    showValidation(payload);
    if (stopPolling) stopPolling();
    stopPolling = payload.finished ? null : pollValidation(payload.url, showValidation);
  }

  async function validate() {
    ui.validate.disabled = true;
    try {
      if (dirty() && !(await save())) return;
      const response = await postJSON(data.urls.validate, {});
      const body = await readJSON(response);
      if (!response.ok) {
        ui.refusal.textContent = errorText(response, body);
        return;
      }
      follow(body.validation);
    } catch (error) {
      ui.refusal.textContent = "The server cannot be reached: try again.";
    } finally {
      ui.validate.disabled = false;
    }
  }

  function addFile() {
    const path = ui.path.value.trim();
    if (!path) return say("Type the new file's path, e.g. tests/hidden/test_edge_cases.py.");
    if (files[path] !== undefined) return say(`${path} exists already.`);
    files[path] = "";
    select(path);
    refreshState();
    say(`Added ${path}: save to keep it.`);
    editor.focus();
  }

  function renameFile() {
    const to = ui.path.value.trim();
    if (!to || to === selected) return say("Type the new path of the selected file first.");
    if (files[to] !== undefined) return say(`${to} exists already.`);
    if (selected === "exercise.toml") return say("exercise.toml names the package: it keeps its name.");
    const from = selected;
    editor.rename(from, to);
    files[to] = files[from];
    delete files[from];
    select(to);
    refreshState();
    say(`Renamed ${from} to ${to}: save to keep it.`);
  }

  function deleteFile() {
    if (selected === "exercise.toml") return say("exercise.toml names the package: it cannot be deleted.");
    if (!window.confirm(`Delete ${selected}?`)) return;
    const gone = selected;
    editor.drop(gone);
    delete files[gone];
    select(Object.keys(files).sort(byGroup)[0]);
    refreshState();
    say(`Deleted ${gone}: save to make it final.`);
  }

  $("au-save").addEventListener("click", () => save());
  ui.validate.addEventListener("click", validate);
  $("au-file-add").addEventListener("click", addFile);
  $("au-file-rename").addEventListener("click", renameFile);
  $("au-file-delete").addEventListener("click", deleteFile);
  ui.path.addEventListener("keydown", (event) => {
    if (event.key === "Enter") {
      event.preventDefault();
      addFile();
    }
  });
  $("au-publish-form").addEventListener("submit", (event) => {
    if (dirty()) {
      event.preventDefault();
      ui.refusal.textContent = "Save, then validate, before publishing.";
    }
  });
  document.addEventListener("keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "s") {
      event.preventDefault();
      save();
    }
  });
  window.addEventListener("beforeunload", (event) => {
    if (dirty()) event.preventDefault();
  });

  select(selected);
  refreshState();
  if (validation && !validation.finished) follow(validation);
}
