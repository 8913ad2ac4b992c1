// The code editor of the app: CodeMirror 6, one editor state per workspace file (so each file
// keeps its own undo history), driven from Rust through `window.KubeficheEditor`.
import { EditorState, Compartment } from "@codemirror/state";
import {
  EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter,
  drawSelection, highlightSpecialChars, hoverTooltip, activateHover, hasHoverTooltips,
  closeHoverTooltips,
} from "@codemirror/view";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { searchKeymap, highlightSelectionMatches } from "@codemirror/search";
import { yaml } from "@codemirror/lang-yaml";
import {
  indentUnit, syntaxHighlighting, defaultHighlightStyle, bracketMatching, indentOnInput,
} from "@codemirror/language";
import { linter, lintGutter, setDiagnostics, lintKeymap } from "@codemirror/lint";
import { autocompletion, completionKeymap } from "@codemirror/autocomplete";

// Our positions are 1-based lines and columns counted in characters (Unicode scalar values);
// CodeMirror counts UTF-16 code units from the start of the document.
function offset(doc, line, column) {
  const n = Math.min(Math.max(line, 1), doc.lines);
  const l = doc.line(n);
  let units = 0;
  let chars = 1;
  for (const ch of l.text) {
    if (chars >= column) break;
    units += ch.length;
    chars += 1;
  }
  return l.from + units;
}

function position(doc, pos) {
  const l = doc.lineAt(pos);
  const column = [...l.text.slice(0, pos - l.from)].length + 1;
  return { line: l.number, column };
}

function toCodeMirror(doc, list) {
  return list.map((d) => {
    const from = offset(doc, d.line, d.column);
    let to = offset(doc, d.end_line, d.end_column);
    if (to <= from) to = Math.min(from + 1, doc.length);
    return { from, to: Math.max(to, from), severity: d.severity, message: d.message, source: d.code };
  });
}

class Workbench {
  constructor(parent, hooks) {
    this.hooks = hooks;
    this.states = new Map();
    this.path = null;
    this.label = new Compartment();
    this.view = new EditorView({ parent, state: this.makeState("", "") });
  }

  makeState(path, text) {
    const hooks = this.hooks;
    const self = this;
    const fieldDocs = hoverTooltip((view, pos) => {
      if (!hooks.hover) return null;
      const at = position(view.state.doc, pos);
      const info = hooks.hover(path, view.state.doc.toString(), at.line, at.column);
      if (!info) return null;
      return {
        pos,
        above: true,
        create() {
          const dom = document.createElement("div");
          dom.className = "kf-hover";
          const title = document.createElement("strong");
          title.textContent = info.title;
          const body = document.createElement("p");
          body.textContent = info.body;
          dom.append(title, body);
          return { dom };
        },
      };
    });
    const extensions = [
      lineNumbers(),
      highlightActiveLineGutter(),
      highlightSpecialChars(),
      history(),
      drawSelection(),
      indentOnInput(),
      bracketMatching(),
      highlightActiveLine(),
      highlightSelectionMatches(),
      syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
      yaml(),
      indentUnit.of("  "),
      EditorState.tabSize.of(2),
      lintGutter(),
      // Diagnostics are pushed from Rust on every change; this empty linter only turns on the panel machinery.
      linter(null),
      autocompletion({
        override: [
          (context) => {
            if (!hooks.complete) return null;
            const word = context.matchBefore(/[A-Za-z0-9_.-]*/);
            if (!word || (word.from === word.to && !context.explicit)) return null;
            const at = position(context.state.doc, context.pos);
            const options = hooks.complete(path, context.state.doc.toString(), at.line, at.column) || [];
            if (!options.length) return null;
            return { from: word.from, options, validFor: /^[A-Za-z0-9_.-]*$/ };
          },
        ],
      }),
      fieldDocs,
      keymap.of([
        // The field's documentation from the keyboard too (as VS Code: Ctrl+K then Ctrl+I),
        // at the cursor; Escape or the next move closes it.
        {
          key: "Ctrl-k Ctrl-i",
          run: (view) => {
            activateHover(view, view.state.selection.main.head, 1, {
              tooltip: fieldDocs,
              until: (tr) => tr.docChanged || tr.selection !== undefined,
            });
            return true;
          },
        },
        {
          key: "Escape",
          run: (view) => {
            if (!hasHoverTooltips(view.state)) return false;
            view.dispatch({ effects: closeHoverTooltips });
            return true;
          },
        },
        indentWithTab,
        ...defaultKeymap,
        ...historyKeymap,
        ...searchKeymap,
        ...completionKeymap,
        ...lintKeymap,
      ]),
      this.label.of(EditorView.contentAttributes.of({ "aria-label": hooks.label ? hooks.label(path) : path })),
      EditorView.updateListener.of((update) => {
        if (update.docChanged && self.path === path) {
          hooks.onChange(path, update.state.doc.toString());
        }
      }),
    ];
    return EditorState.create({ doc: text, extensions });
  }

  // Show `path`, creating its state from `text` the first time.
  open(path, text) {
    if (this.path !== null) this.states.set(this.path, this.view.state);
    let state = this.states.get(path);
    if (!state) {
      state = this.makeState(path, text);
      this.states.set(path, state);
    }
    this.path = path;
    this.view.setState(state);
  }

  // Replace the text of `path` in one undoable step (used by "reset").
  replace(path, text) {
    if (path !== this.path) {
      this.states.delete(path);
      return;
    }
    const doc = this.view.state.doc;
    this.view.dispatch({ changes: { from: 0, to: doc.length, insert: text } });
  }

  // One undoable change of the open file (offsets in UTF-16 units); the new text is selected
  // and scrolled to. `false` when `path` is not the open file.
  edit(path, from, to, insert) {
    if (path !== this.path) return false;
    this.view.dispatch({
      changes: { from, to, insert },
      selection: { anchor: from, head: from + insert.length },
      scrollIntoView: true,
    });
    this.view.focus();
    return true;
  }

  setDiagnostics(path, list) {
    if (path !== this.path) return;
    const tr = setDiagnostics(this.view.state, toCodeMirror(this.view.state.doc, list));
    this.view.dispatch(tr);
  }

  goto(line, column) {
    const pos = offset(this.view.state.doc, line, column);
    this.view.dispatch({ selection: { anchor: pos }, scrollIntoView: true });
    this.view.focus();
  }
}

window.KubeficheEditor = {
  create(parent, hooks) {
    return new Workbench(parent, hooks);
  },
};
