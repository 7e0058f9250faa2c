import { useEffect, useState } from 'preact/hooks';
import { deleteFunction, functionLogs, invoke, listFunctions, type FunctionConfig } from '../api/lambda.js';
import { useSession } from '../api/session.js';
import { Empty, ErrorNotice, Loading, Pager } from '../components/ui.js';
import { usePaged } from '../components/use-paged.js';
import { CreateFunction } from './function-create.js';
import { UpdateCode } from './function-update.js';

type View = 'test' | 'code';

/** Lambda functions: create (inline code or a .zip), invoke with a test payload, read the logs, update the code, delete. */
export function FunctionsPage() {
  const { region } = useSession();
  const [open, setOpen] = useState<{ name: string; view: View } | null>(null);
  const [creating, setCreating] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const list = usePaged(listFunctions, [region], { service: 'lambda' });
  const toggle = (name: string, view: View) => setOpen(open?.name === name && open.view === view ? null : { name, view });
  const remove = async (name: string) => {
    if (!confirm(`Delete function ${name}?`)) return;
    try {
      setError(null);
      await deleteFunction(name);
      await list.reload();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <div>
      <h1>Lambda functions</h1>
      <p class="sub">
        Functions can be rule targets and SNS subscribers. Create one here (code written inline or a .zip), or with the AWS CLI or an SDK;
        invoke it and read its logs.
      </p>
      <div class="toolbar">
        <button class="primary" aria-expanded={creating} onClick={() => setCreating(!creating)}>
          Create function
        </button>
      </div>
      {creating && (
        <CreateFunction
          onCancel={() => setCreating(false)}
          onCreated={(name) => {
            setCreating(false);
            setOpen({ name, view: 'test' });
            void list.reload();
          }}
        />
      )}
      <ErrorNotice error={error ?? list.error} />
      {list.items === null && !list.error && <Loading what="functions" />}
      {list.items?.length === 0 ? (
        <div class="panel">
          <Empty title={`No functions in ${region}`}>
            <p>
              Choose <b>Create function</b>, or use{' '}
              <code>aws lambda create-function --runtime nodejs20.x --handler index.handler --zip-file fileb://fn.zip …</code>; then choose
              it as a rule's target.
            </p>
          </Empty>
        </div>
      ) : (
        (list.items ?? []).map((f) => (
          <section class="panel" key={f.FunctionArn} data-testid={`function-${f.FunctionName}`}>
            <div class="toolbar">
              <h2 class="grow">
                <a href={`#/function/${encodeURIComponent(f.FunctionName)}`}>{f.FunctionName}</a>
              </h2>
              <span class="hint">
                {f.Runtime} · {f.Handler} · {f.MemorySize} MB · {f.Timeout} s
              </span>
              <button aria-expanded={open?.name === f.FunctionName && open.view === 'test'} onClick={() => toggle(f.FunctionName, 'test')}>
                Test and logs
              </button>
              <button aria-expanded={open?.name === f.FunctionName && open.view === 'code'} onClick={() => toggle(f.FunctionName, 'code')}>
                Code
              </button>
              <button class="danger" onClick={() => void remove(f.FunctionName)}>
                Delete
              </button>
            </div>
            <div class="mono hint">{f.FunctionArn}</div>
            {open?.name === f.FunctionName &&
              (open.view === 'test' ? (
                <FunctionDetail fn={f} region={region} />
              ) : (
                <UpdateCode fn={f} onDeployed={() => void list.reload()} />
              ))}
          </section>
        ))
      )}
      <Pager page={list.page} hasNext={list.hasNext} onPrev={list.prevPage} onNext={list.nextPage} />
    </div>
  );
}

export function FunctionDetail({ fn, region }: { fn: FunctionConfig; region: string }) {
  const [payload, setPayload] = useState('{"source": "aws.ec2", "detail-type": "EC2 AMI State Change", "detail": {"State": "available"}}');
  const [result, setResult] = useState<{ status: number; payload: string; functionError?: string } | null>(null);
  const [logs, setLogs] = useState<{ requestId: string; timestamp: string; message: string }[]>([]);
  const [error, setError] = useState<unknown>(null);
  const loadLogs = () => functionLogs(fn.FunctionName, region).then(setLogs, setError);
  useEffect(() => void loadLogs(), [fn.FunctionName]);
  const run = async () => {
    try {
      setError(null);
      setResult(await invoke(fn.FunctionName, payload));
      await loadLogs();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <div class="grid2" style="margin-top:10px">
      <div>
        <label class="field" style="max-width:none">
          <span>Test event</span>
          <textarea aria-label="Test event" rows={5} value={payload} onInput={(e) => setPayload((e.target as HTMLTextAreaElement).value)} />
        </label>
        <button type="button" onClick={() => void run()}>
          Invoke
        </button>
        <ErrorNotice error={error} />
        {result && (
          <div data-testid="invoke-result" class={result.functionError ? 'notice bad' : 'notice ok'}>
            {result.functionError ? `Failed (${result.functionError})` : `Succeeded (${result.status})`}
            <pre>{result.payload}</pre>
          </div>
        )}
      </div>
      <div>
        <h3>Recent logs</h3>
        <p class="hint">
          From the log group <code>/aws/lambda/{fn.FunctionName}</code>: <code>aws logs tail /aws/lambda/{fn.FunctionName} --follow</code>
        </p>
        {logs.length === 0 ? (
          <p class="hint">No invocations yet.</p>
        ) : (
          <pre class="logs" data-testid="function-logs">
            {logs.map((l) => `${l.timestamp} ${l.message}`).join('\n')}
          </pre>
        )}
      </div>
    </div>
  );
}
