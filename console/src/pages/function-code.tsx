import { CodeEditor } from '../components/code-editor.js';

/** Where a function's code comes from: the inline editor, or a .zip file chosen from disk. */
export type CodeSource = { kind: 'inline'; text: string } | { kind: 'zip'; file: File | null };

/**
 * The "Code source" choice shared by Create function and the code update of an existing one:
 * write the handler inline (CodeMirror, JavaScript) or upload a .zip deployment package.
 */
export function CodeSourceInput({
  id,
  value,
  onChange,
  fileName,
}: {
  id: string;
  value: CodeSource;
  onChange: (v: CodeSource) => void;
  fileName: string;
}) {
  const inline = value.kind === 'inline' ? value.text : null;
  return (
    <fieldset>
      <legend>Code source</legend>
      <label class="choice">
        <input
          type="radio"
          name={`code-${id}`}
          checked={value.kind === 'inline'}
          onChange={() => onChange({ kind: 'inline', text: inline ?? '' })}
        />
        <span>
          Write code inline<small>Saved as {fileName} in the deployment package.</small>
        </span>
      </label>
      <label class="choice">
        <input type="radio" name={`code-${id}`} checked={value.kind === 'zip'} onChange={() => onChange({ kind: 'zip', file: null })} />
        <span>
          Upload a .zip file<small>Your code and its node_modules, zipped; at most 50 MB.</small>
        </span>
      </label>
      {value.kind === 'inline' ? (
        <CodeEditor
          label="Function code"
          language="javascript"
          value={value.text}
          onChange={(text) => onChange({ kind: 'inline', text })}
        />
      ) : (
        <label class="field">
          <span>Deployment package</span>
          <input
            type="file"
            accept=".zip,application/zip"
            aria-label="Deployment package (.zip)"
            onChange={(e) => onChange({ kind: 'zip', file: (e.target as HTMLInputElement).files?.[0] ?? null })}
          />
          <span class="hint">{value.file ? `${value.file.name}, ${(value.file.size / 1024).toFixed(1)} KB` : 'No file chosen.'}</span>
        </label>
      )}
    </fieldset>
  );
}
