/**
 * The program each function process runs (written to the code cache as `bootstrap.mjs`; it must
 * be plain JavaScript, since the process runs without our TypeScript loader). It plays the
 * Lambda Node.js runtime: loads the handler module (`index.handler` → index.js/.mjs/.cjs),
 * writes console output in Lambda's format (`time\trequestId\tLEVEL\tmessage`), calls the
 * handler with the event and a Lambda-shaped context (async/promise or callback style), and
 * reports the result or Lambda's error object. Everything the function writes is sent to the
 * parent over the IPC channel, in order, before the result.
 */
export const BOOTSTRAP_SOURCE = String.raw`
import { format } from 'node:util';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const send = (m, then) => { try { process.send(m, then); } catch { then?.(); } };
const write = (s) => { send({ t: 'log', s }); return true; };
// stream.write(chunk[, encoding][, callback]): strings or bytes; the callback still runs.
const streamWrite = (chunk, encoding, callback) => {
  const done = typeof encoding === 'function' ? encoding : callback;
  write(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
  if (typeof done === 'function') queueMicrotask(done);
  return true;
};
process.stdout.write = streamWrite;
process.stderr.write = streamWrite;
let requestId = 'undefined';
const levels = { log: 'INFO', info: 'INFO', warn: 'WARN', error: 'ERROR', debug: 'DEBUG', trace: 'TRACE' };
for (const [method, level] of Object.entries(levels)) {
  console[method] = (...args) => write(new Date().toISOString() + '\t' + requestId + '\t' + level + '\t' + format(...args) + '\n');
}

function errorObject(err) {
  if (err instanceof Error) return { errorType: err.name || err.constructor?.name || 'Error', errorMessage: err.message, trace: String(err.stack ?? '').split('\n') };
  if (typeof err === 'string') return { errorType: 'string', errorMessage: err, trace: [] };
  let text;
  try { text = JSON.stringify(err); } catch { text = String(err); }
  return { errorType: typeof err, errorMessage: text, trace: [] };
}

class LoadError extends Error {}
let handlerFn = null;
async function load() {
  const spec = process.env._HANDLER ?? '';
  const slash = spec.lastIndexOf('/');
  const dot = spec.indexOf('.', slash + 1);
  if (dot < 0) throw Object.assign(new LoadError('Bad handler ' + spec + ': expected MODULE.FUNCTION, e.g. index.handler'), { name: 'Runtime.MalformedHandlerName' });
  const modulePath = spec.slice(0, dot);
  const root = process.env.LAMBDA_TASK_ROOT;
  const file = ['.js', '.mjs', '.cjs'].map((ext) => join(root, modulePath + ext)).find((f) => existsSync(f));
  if (!file) throw Object.assign(new LoadError("Error: Cannot find module '" + modulePath + "'"), { name: 'Runtime.ImportModuleError' });
  let mod;
  try { mod = await import(pathToFileURL(file).href); }
  catch (err) { throw Object.assign(new LoadError(String(err?.stack ?? err).split('\n')[0]), { name: 'Runtime.ImportModuleError', cause: err }); }
  let fn = mod;
  for (const part of spec.slice(dot + 1).split('.')) fn = fn?.[part] ?? (fn === mod ? mod.default?.[part] : undefined);
  if (typeof fn !== 'function') throw Object.assign(new LoadError(spec.slice(slash + 1) + ' is undefined or not exported'), { name: 'Runtime.HandlerNotFound' });
  return fn;
}

function invoke(fn, event, context) {
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (err, value) => { if (done) return; done = true; if (err !== null && err !== undefined) reject(err); else resolve(value); };
    context.done = finish;
    context.succeed = (v) => finish(null, v);
    context.fail = (e) => finish(e ?? new Error('handled'));
    try {
      const r = fn(event, context, (err, value) => finish(err ?? null, value));
      if (r && typeof r.then === 'function') r.then((v) => finish(null, v), (e) => finish(e ?? new Error('Promise rejected with ' + e)));
    } catch (err) { finish(err); }
  });
}

let current = null;
const fail = (err, then) => {
  if (!current) return then?.();
  const e = errorObject(err);
  console.error('Invoke Error', JSON.stringify(e));
  send({ t: 'done', id: current, ok: false, error: e, rss: process.memoryUsage.rss() }, then);
  current = null;
};
// As Lambda's runtime does, an error escaping the handler fails the invocation and ends the process.
process.on('uncaughtException', (err) => fail(err, () => process.exit(1)));
process.on('unhandledRejection', (err) => fail(err, () => process.exit(1)));

process.on('message', async (m) => {
  if (m.t !== 'invoke') return;
  current = m.id;
  requestId = m.id;
  const context = {
    callbackWaitsForEmptyEventLoop: true,
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
    invokedFunctionArn: m.arn,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: m.id,
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
    ...(m.clientContext ? { clientContext: JSON.parse(Buffer.from(m.clientContext, 'base64').toString('utf8')) } : {}),
    getRemainingTimeInMillis: () => Math.max(0, m.deadline - Date.now()),
  };
  try {
    handlerFn ??= await load();
    const value = await invoke(handlerFn, JSON.parse(m.payload), context);
    if (current !== m.id) return;
    send({ t: 'done', id: m.id, ok: true, result: value === undefined ? 'null' : JSON.stringify(value), rss: process.memoryUsage.rss() });
    current = null;
  } catch (err) {
    if (current !== m.id) return;
    fail(err);
  }
  requestId = 'undefined';
});
send({ t: 'ready' });
`;
