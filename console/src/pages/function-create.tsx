import { useEffect, useState } from 'preact/hooks';
import { packageWithCode, uploadedPackage } from '../api/deployment-package.js';
import { createFunction, functionExists } from '../api/lambda.js';
import {
  DEFAULT_RUNTIME,
  defaultHandler,
  envKeyProblem,
  functionNameProblem,
  handlerProblem,
  INLINE_TEMPLATE,
  inlineFileName,
  isPython,
  MEMORY,
  rangeProblem,
  RUNTIMES,
  templateFor,
  TIMEOUT,
} from '../api/lambda-rules.js';
import { useSession } from '../api/session.js';
import { KeyValueRows, type KeyValue } from '../components/key-value-rows.js';
import { ErrorNotice } from '../components/ui.js';
import { CodeSourceInput, type CodeSource } from './function-code.js';

/** The code of a source as a deployment package (inline code zipped in the browser). */
export async function packageOf(
  source: CodeSource,
  handler: string,
  base?: Parameters<typeof packageWithCode>[2],
  runtime?: string,
): Promise<Uint8Array> {
  if (source.kind === 'inline') return packageWithCode(source.text, handler, base, runtime);
  if (!source.file) throw new Error('Choose a .zip file to upload.');
  return uploadedPackage(source.file);
}

/** "Create function": checked as you type (Lambda's name rules, then whether the name is taken in this region), then CreateFunction. */
export function CreateFunction({ onCreated, onCancel }: { onCreated: (name: string) => void; onCancel: () => void }) {
  const { region, account } = useSession();
  const [name, setName] = useState('');
  const [taken, setTaken] = useState(false);
  const [runtime, setRuntime] = useState(DEFAULT_RUNTIME);
  const [handler, setHandler] = useState('index.handler');
  const [memory, setMemory] = useState(String(MEMORY.default));
  const [timeout, setTimeoutText] = useState(String(TIMEOUT.default));
  const [role, setRole] = useState(`arn:aws:iam::${account}:role/lambda-execution`);
  const [env, setEnv] = useState<KeyValue[]>([]);
  const [code, setCode] = useState<CodeSource>({ kind: 'inline', text: INLINE_TEMPLATE });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (functionNameProblem(name)) return setTaken(false);
    let live = true;
    const timer = setTimeout(
      () =>
        functionExists(name).then(
          (exists) => live && setTaken(exists),
          () => undefined,
        ),
      200,
    );
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [name, region]);
  const nameProblem =
    name === '' ? null : (functionNameProblem(name) ?? (taken ? `A function named ${name} already exists in ${region}.` : null));
  const problems = [
    functionNameProblem(name),
    taken ? 'taken' : null,
    handlerProblem(handler),
    rangeProblem(memory, MEMORY, 'MB'),
    rangeProblem(timeout, TIMEOUT, 'seconds'),
    ...env.filter((v) => v.key !== '').map((v) => envKeyProblem(v.key)),
    code.kind === 'zip' && !code.file ? 'no file' : null,
  ];
  const ready = problems.every((p) => p === null) && !busy;
  // Switching between Node.js and Python swaps the starting handler and template, unless edited.
  const chooseRuntime = (next: string) => {
    if (handler === defaultHandler(runtime)) setHandler(defaultHandler(next));
    if (code.kind === 'inline' && code.text === templateFor(runtime)) setCode({ kind: 'inline', text: templateFor(next) });
    setRuntime(next);
  };
  const submit = async () => {
    try {
      setBusy(true);
      setError(null);
      const zip = await packageOf(code, handler, undefined, runtime);
      const Variables = Object.fromEntries(env.filter((v) => v.key !== '').map((v) => [v.key, v.value]));
      await createFunction({
        FunctionName: name,
        Runtime: runtime,
        Handler: handler,
        Role: role,
        MemorySize: Number(memory),
        Timeout: Number(timeout),
        Variables,
        zip,
      });
      onCreated(name);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="panel" aria-label="Create function" onSubmit={(e) => (e.preventDefault(), ready && void submit())}>
      <h2>Create function</h2>
      <div class="grid2">
        <div>
          <label class="field">
            <span>Function name</span>
            <input
              aria-label="Function name"
              value={name}
              maxLength={64}
              onInput={(e) => setName((e.target as HTMLInputElement).value)}
              aria-invalid={Boolean(nameProblem)}
              aria-describedby="fn-name-msg"
            />
            <span id="fn-name-msg" class={nameProblem ? 'error' : 'hint'} aria-live="polite">
              {nameProblem ?? '1 to 64 characters: letters, numbers, hyphens and underscores; unique in the Region.'}
            </span>
          </label>
          <label class="field">
            <span>Runtime</span>
            <select aria-label="Runtime" value={runtime} onChange={(e) => chooseRuntime((e.target as HTMLSelectElement).value)}>
              {RUNTIMES.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </select>
            <span class="hint">amiwatch runs Node.js functions, on the server's own Node.js.</span>
          </label>
          <Checked
            label="Handler"
            value={handler}
            onInput={setHandler}
            problem={handlerProblem(handler)}
            hint={
              isPython(runtime)
                ? 'MODULE.FUNCTION: lambda_function.lambda_handler is the function lambda_handler of lambda_function.py.'
                : `FILE.EXPORT: index.handler is the export handler of index.mjs.`
            }
          />
        </div>
        <div>
          <Checked
            label="Memory (MB)"
            value={memory}
            onInput={setMemory}
            problem={rangeProblem(memory, MEMORY, 'MB')}
            hint={`${MEMORY.min} to ${MEMORY.max} MB.`}
          />
          <Checked
            label="Timeout (seconds)"
            value={timeout}
            onInput={setTimeoutText}
            problem={rangeProblem(timeout, TIMEOUT, 'seconds')}
            hint={`${TIMEOUT.min} to ${TIMEOUT.max} seconds.`}
          />
          <label class="field">
            <span>Execution role</span>
            <input aria-label="Execution role" value={role} onInput={(e) => setRole((e.target as HTMLInputElement).value)} />
            <span class="hint">An IAM role ARN; amiwatch checks its form only (it has no IAM).</span>
          </label>
        </div>
      </div>
      <fieldset>
        <legend>Environment variables</legend>
        <p class="hint">{env.length === 0 ? 'None.' : 'Rows without a key are left out.'}</p>
        <KeyValueRows
          rows={env}
          onChange={setEnv}
          noun="Environment variable"
          addLabel="Add environment variable"
          valueHint="Value"
          problem={(k) => (k === '' ? null : envKeyProblem(k))}
        />
      </fieldset>
      <CodeSourceInput id="new" value={code} onChange={setCode} fileName={inlineFileName(handler, runtime)} />
      <ErrorNotice error={error} />
      <div class="toolbar">
        <button class="primary" type="submit" disabled={!ready}>
          {busy ? 'Creating…' : 'Create function'}
        </button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** A text field with its rule's message under it, as you type. */
function Checked({
  label,
  value,
  onInput,
  problem,
  hint,
}: {
  label: string;
  value: string;
  onInput: (v: string) => void;
  problem: string | null;
  hint: string;
}) {
  return (
    <label class="field">
      <span>{label}</span>
      <input
        aria-label={label}
        value={value}
        onInput={(e) => onInput((e.target as HTMLInputElement).value)}
        aria-invalid={Boolean(problem)}
      />
      <span class={problem ? 'error' : 'hint'} aria-live="polite">
        {problem ?? hint}
      </span>
    </label>
  );
}
