import { javascript } from '@codemirror/lang-javascript';
import { json } from '@codemirror/lang-json';
import { Annotation, Compartment, EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { basicSetup } from 'codemirror';
import { useEffect, useRef } from 'preact/hooks';
import type { CodeEditorProps } from './code-editor.js';

const languages = { json: () => json(), javascript: () => javascript() } as const;

/** Marks the transactions that bring an outside value in: they are not the user's edits. */
const fromOutside = Annotation.define<boolean>();

/**
 * A CodeMirror 6 editor for JSON (event patterns, sample events) or JavaScript (a function's
 * inline code). `onChange` gets every edit; the caller validates (the pattern engine's `check`)
 * and shows the message, so the text a user reads is AWS's own. Tab is not bound inside the
 * editor (basicSetup leaves it out), so Tab and Shift-Tab move focus on: keyboard users are never
 * trapped.
 *
 * The editor owns its document while the user types. Every edit goes out through `onChange`, and
 * the parent's re-render brings the value back as the `value` prop — later, possibly after more
 * keys were typed. Such an echo is recognised (it is one of the values sent out, in order) and
 * ignored; only a value the editor never sent (the pattern form rewrote the pattern) replaces
 * the document, and that replacement is not reported back as an edit. Replacing the document
 * with a stale echo fired onChange with the stale text, which rendered again: the tab froze.
 */
export default function CodeEditorView({ value, onChange, label, invalid, readOnly, language = 'json' }: CodeEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const editable = useRef(new Compartment());
  const changed = useRef(onChange);
  changed.current = onChange;
  /** Values sent out through onChange whose echo (the value prop) has not come back yet. */
  const sent = useRef<string[]>([]);
  useEffect(() => {
    view.current = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: value,
        extensions: [
          basicSetup,
          languages[language](),
          EditorView.lineWrapping,
          editable.current.of(EditorState.readOnly.of(readOnly ?? false)),
          EditorView.contentAttributes.of({ 'aria-label': label }),
          EditorView.updateListener.of((u) => {
            if (!u.docChanged || u.transactions.some((t) => t.annotation(fromOutside))) return;
            const text = u.state.doc.toString();
            // Bounded: a parent that never echoes (no onChange, or it ignores edits) keeps no history.
            if (sent.current.push(text) > 500) sent.current.splice(0, 250);
            changed.current?.(text);
          }),
        ],
      }),
    });
    return () => view.current?.destroy();
  }, []);
  // The pattern form shows the pattern read-only; the JSON editor mode makes it editable.
  useEffect(() => {
    view.current?.dispatch({ effects: editable.current.reconfigure(EditorState.readOnly.of(readOnly ?? false)) });
  }, [readOnly]);
  // Outside changes (e.g. the pattern form rewrote the pattern) replace the document.
  useEffect(() => {
    const v = view.current;
    if (!v) return;
    const echo = sent.current.indexOf(value);
    if (echo >= 0) {
      sent.current.splice(0, echo + 1);
      return;
    }
    sent.current = [];
    if (v.state.doc.toString() !== value)
      v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: value }, annotations: fromOutside.of(true) });
  }, [value]);
  return <div class={`cm-wrap${invalid ? ' invalid' : ''}`} ref={host} data-testid={`editor-${label}`} />;
}
