// The exercise editor's CodeMirror: one view whose state is swapped per file, so that each
// file keeps its own undo history and selection. Python files get Python highlighting and
// indentation; statement.md, exercise.toml and data files are plain text.
import { EditorView, keymap } from "@codemirror/view";
import { EditorState, Prec } from "@codemirror/state";
import { defaultKeymap, historyKeymap, indentWithTab } from "@codemirror/commands";
import { indentUnit } from "@codemirror/language";
import { searchKeymap } from "@codemirror/search";
import { closeBracketsKeymap } from "@codemirror/autocomplete";
import { python } from "@codemirror/lang-python";
import { codeEditingBasics } from "../editor.js";

function languageOf(path) {
  return path.endsWith(".py") ? [python(), indentUnit.of("    ")] : [indentUnit.of("  ")];
}

/**
 * The editor in `parent`. onChange(path, text) after each edit of the shown file; onSave() on
 * Mod-S. Returns {show(path, text), text(path), drop(path), rename(from, to), focus()}.
 */
export function createFileEditor(parent, { onChange, onSave }) {
  const states = new Map();
  let current = null;

  const extensionsFor = (path) => [
    Prec.highest(keymap.of([{ key: "Mod-s", run: () => (onSave(), true), preventDefault: true }])),
    ...codeEditingBasics(),
    keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...searchKeymap, ...historyKeymap, indentWithTab]),
    ...languageOf(path),
    EditorView.contentAttributes.of({ "aria-label": `Editor: ${path}` }),
    EditorView.lineWrapping,
    EditorView.updateListener.of((update) => {
      if (update.docChanged && current !== null) onChange(current, update.state.doc.toString());
    }),
  ];

  const view = new EditorView({ parent, state: EditorState.create({ doc: "" }) });

  const stateOf = (path, text) => {
    if (!states.has(path)) states.set(path, EditorState.create({ doc: text, extensions: extensionsFor(path) }));
    return states.get(path);
  };

  return {
    view,
    show(path, text) {
      if (current !== null) states.set(current, view.state);
      current = null; // setState is not an edit of the file being shown
      view.setState(stateOf(path, text));
      current = path;
    },
    text(path) {
      if (path === current) return view.state.doc.toString();
      const state = states.get(path);
      return state ? state.doc.toString() : null;
    },
    drop(path) {
      states.delete(path);
      if (path === current) current = null;
    },
    rename(from, to) {
      if (from === current) states.set(from, view.state);
      const text = states.has(from) ? states.get(from).doc.toString() : null;
      states.delete(from);
      if (from === current) current = null;
      return text;
    },
    focus() {
      view.focus();
    },
  };
}
