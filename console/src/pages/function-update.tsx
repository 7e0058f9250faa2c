import { useEffect, useState } from 'preact/hooks';
import { handlerFile, handlerSource, openPackage, type Files } from '../api/deployment-package.js';
import { functionPackage, getFunction, updateFunctionCode, type FunctionConfig } from '../api/lambda.js';
import { ErrorNotice } from '../components/ui.js';
import { CodeSourceInput, type CodeSource } from './function-code.js';
import { packageOf } from './function-create.js';

/**
 * A function's code: its handler file opened from the deployed package (GetFunction's
 * Code.Location) into the editor, or a new .zip; **Deploy** sends UpdateFunctionCode. Inline edits
 * rebuild the package with its other files unchanged, so a multi-file function keeps them.
 */
export function UpdateCode({ fn, onDeployed }: { fn: FunctionConfig; onDeployed: () => void }) {
  const handler = fn.Handler ?? 'index.handler';
  const [base, setBase] = useState<Files | null>(null);
  const [code, setCode] = useState<CodeSource | null>(null);
  const [done, setDone] = useState<FunctionConfig | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    (async () => {
      const location = (await getFunction(fn.FunctionName)).Code?.Location;
      const files = location ? openPackage(await functionPackage(location)) : {};
      const text = handlerSource(files, handler, fn.Runtime);
      setBase(files);
      setCode(text === null ? { kind: 'zip', file: null } : { kind: 'inline', text });
    })().catch((e: unknown) => {
      setError(e);
      setBase({});
      setCode({ kind: 'zip', file: null });
    });
  }, [fn.FunctionName]);
  if (!code || !base) return <p class="hint">Opening the deployment package…</p>;
  const deploy = async () => {
    try {
      setBusy(true);
      setError(null);
      setDone(await updateFunctionCode(fn.FunctionName, await packageOf(code, handler, base, fn.Runtime)));
      onDeployed();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form aria-label={`Code of ${fn.FunctionName}`} onSubmit={(e) => (e.preventDefault(), void deploy())}>
      <CodeSourceInput
        id={fn.FunctionName}
        value={code}
        onChange={(c) => (setCode(c), setDone(null))}
        fileName={handlerFile(base, handler, fn.Runtime)}
      />
      <div class="toolbar">
        <button class="primary" type="submit" disabled={busy || (code.kind === 'zip' && !code.file)}>
          {busy ? 'Deploying…' : 'Deploy'}
        </button>
        {Object.keys(base).length > 1 && (
          <span class="hint">The package's other {Object.keys(base).length - 1} file(s) are kept as they are.</span>
        )}
      </div>
      <ErrorNotice error={error} />
      {done && (
        <p class="notice ok" role="status">
          Deployed: {done.CodeSize} bytes, last modified {done.LastModified}.
        </p>
      )}
    </form>
  );
}
