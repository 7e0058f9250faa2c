import { lazy } from './lazy.js';

export interface CodeEditorProps {
  value: string;
  onChange?: (text: string) => void;
  label: string;
  invalid?: boolean;
  readOnly?: boolean;
  language?: 'json' | 'javascript';
}

/** The CodeMirror editor (code-editor-view.tsx), loaded with the first page that shows one. */
export const CodeEditor = lazy<CodeEditorProps>(
  () => import('./code-editor-view.js'),
  (p, error) => (
    <div class={`cm-wrap loading${p.invalid ? ' invalid' : ''}`} aria-busy="true">
      <pre>{error ? `The editor could not be loaded: ${String(error)}` : p.value}</pre>
    </div>
  ),
);
