// The CodeMirror 6 editor: a basicSetup-like set (without the completion popup, which gets in
// the way of Enter while typing), Python, 4-space indents, Tab indents, and the IDE keys.
import {
  EditorView,
  keymap,
  lineNumbers,
  highlightActiveLineGutter,
  highlightSpecialChars,
  drawSelection,
  dropCursor,
  rectangularSelection,
  crosshairCursor,
  highlightActiveLine,
} from "@codemirror/view";
import { EditorState, Compartment, Prec } from "@codemirror/state";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import {
  indentOnInput,
  indentUnit,
  bracketMatching,
  foldGutter,
  foldKeymap,
  syntaxHighlighting,
  defaultHighlightStyle,
} from "@codemirror/language";
import { searchKeymap, highlightSelectionMatches } from "@codemirror/search";
import { closeBrackets, closeBracketsKeymap } from "@codemirror/autocomplete";
import { python } from "@codemirror/lang-python";

export const editorTheme = EditorView.theme({
  "&": { height: "100%", fontSize: "14px", backgroundColor: "#ffffff" },
  "&.cm-focused": { outline: "none" },
  ".cm-scroller": {
    overflow: "auto",
    fontFamily: 'ui-monospace, "SF Mono", SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace',
    lineHeight: "1.55",
  },
  ".cm-gutters": { backgroundColor: "#f6f8fa", color: "#8b949e", borderRight: "1px solid #e5e8ec" },
  ".cm-activeLineGutter": { backgroundColor: "#eaeef2", color: "#1f2328" },
  ".cm-activeLine": { backgroundColor: "#f5f8fc" },
  "&.cm-editor.cm-readonly .cm-content": { cursor: "default" },
});

/** What every code editor of the site has (the candidate's IDE, the exercise editor). */
export function codeEditingBasics() {
  return [
    lineNumbers(),
    highlightActiveLineGutter(),
    highlightSpecialChars(),
    history(),
    drawSelection(),
    indentOnInput(),
    syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
    bracketMatching(),
    closeBrackets(),
    highlightActiveLine(),
    highlightSelectionMatches(),
    EditorState.tabSize.of(4),
    editorTheme,
  ];
}

/**
 * Mounts the editor in `parent` with `doc` and returns {view, setReadOnly}.
 * onChange(text) runs after every document change; onRun/onSubmit/onSave for the keys.
 */
export function createEditor(parent, doc, { onChange, onRun, onSubmit, onSave }) {
  const readOnly = new Compartment();
  const ideKeys = Prec.highest(
    keymap.of([
      { key: "Mod-Enter", run: () => (onRun(), true) },
      { key: "Mod-Shift-Enter", run: () => (onSubmit(), true) },
      { key: "Mod-s", run: () => (onSave(), true), preventDefault: true },
    ]),
  );

  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc,
      extensions: [
        ideKeys,
        ...codeEditingBasics(),
        foldGutter(),
        dropCursor(),
        EditorState.allowMultipleSelections.of(true),
        rectangularSelection(),
        crosshairCursor(),
        keymap.of([
          ...closeBracketsKeymap,
          ...defaultKeymap,
          ...searchKeymap,
          ...historyKeymap,
          ...foldKeymap,
          indentWithTab,
        ]),
        python(),
        indentUnit.of("    "),
        EditorView.contentAttributes.of({ "aria-label": "Code editor" }),
        readOnly.of([]),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) onChange(update.state.doc.toString());
        }),
      ],
    }),
  });

  const setReadOnly = (on) => {
    view.dispatch({
      effects: readOnly.reconfigure(
        on
          ? [
              EditorState.readOnly.of(true),
              EditorView.editable.of(false),
              EditorView.editorAttributes.of({ class: "cm-readonly" }),
            ]
          : [],
      ),
    });
  };

  return { view, setReadOnly };
}

/** Replace the whole document (one undoable change; autosave follows through onChange). */
export function replaceDoc(view, text) {
  view.dispatch({
    changes: { from: 0, to: view.state.doc.length, insert: text },
    selection: { anchor: 0 },
    scrollIntoView: true,
  });
}
