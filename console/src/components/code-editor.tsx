import { javascript } from '@codemirror/lang-javascript';
import { json } from '@codemirror/lang-json';
import { Compartment, EditorState } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import { basicSetup } from 'codemirror';
import { useEffect, useRef } from 'preact/hooks';

const languages = { json: () => json(), javascript: () => javascript() } as const;

/**
 * A CodeMirror 6 editor for JSON (event patterns, sample events) or JavaScript (a function's
 * inline code). `onChange` gets every edit; the caller validates (the pattern engine's `check`)
 * and shows the message, so the text a user reads is AWS's own. Tab is not bound inside the
 * editor (basicSetup leaves it out), so Tab and Shift-Tab move focus on: keyboard users are never
 * trapped.
 */
export function CodeEditor({
  value,
  onChange,
  label,
  invalid,
  readOnly,
  language = 'json',
}: {
  value: string;
  onChange?: (text: string) => void;
  label: string;
  invalid?: boolean;
  readOnly?: boolean;
  language?: keyof typeof languages;
}) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const editable = useRef(new Compartment());
  const changed = useRef(onChange);
  changed.current = onChange;
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
          EditorView.updateListener.of((u) => u.docChanged && changed.current?.(u.state.doc.toString())),
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
    if (v && v.state.doc.toString() !== value) v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: value } });
  }, [value]);
  return <div class={`cm-wrap${invalid ? ' invalid' : ''}`} ref={host} data-testid={`editor-${label}`} />;
}
