import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { strToU8, zipSync } from 'fflate';
import type { App } from '../../src/server/app.js';
import { startTestServer } from '../e2e/helpers.js';
import { auth, fuzzOptions, internalErrors, oddKeys } from './fuzz-support.js';
import { inProcessFetch } from '../support/in-process.js';

/**
 * Lambda's REST-JSON API: any method on any path under /2015-03-31/functions (names with
 * %-escapes, ARNs, qualifiers), any query, any body (not JSON, members of the wrong type, ZipFile
 * not base64 / not a zip / a zip without the handler) — a success or Lambda's error
 * (`x-amzn-ErrorType` + `{"Message"}`) with a 4xx, never a 500; a refused write leaves the
 * functions and their policies as they were. Function names come from a small set, so at most a
 * couple of functions (each a child process when invoked) ever exist, and their code is ours.
 */
let app: App;
/** Requests go to the server's socket-free handle (behaviour); the health checks use the socket. */
const send: ReturnType<typeof inProcessFetch> = (url, init) => inProcessFetch(app)(url, init);
const log: string[] = [];
const ACCOUNT = '000000000000';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/lambda-role`;
const FN = 'fuzz-fn';
const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
const GOOD_ZIP = b64(zipSync({ 'index.js': strToU8('exports.handler = async (e) => ({ ok: true, e });\n') }));
const NO_HANDLER_ZIP = b64(zipSync({ 'other.js': strToU8('module.exports = 1;\n') }));
const ESCAPING_ZIP = b64(zipSync({ '../evil.js': strToU8('x') }));

async function call(method: string, path: string, body: string | undefined, headers: Record<string, string> = {}) {
  const res = await send(`${app.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: auth('lambda'), ...headers },
    ...(body !== undefined && method !== 'GET' && { body }),
    signal: AbortSignal.timeout(15_000),
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

before(async () => {
  app = await startTestServer({}, { log: (m) => log.push(m) });
  const created = await call(
    'POST',
    '/2015-03-31/functions',
    JSON.stringify({ FunctionName: FN, Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: GOOD_ZIP } }),
  );
  assert.equal(created.status, 201, created.text);
});
after(() => app.close());

const arn = `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${FN}`;
const rawName = fc.oneof(
  fc.constantFrom(
    FN,
    'fuzz-new',
    'missing',
    arn,
    `${arn}:$LATEST`,
    `${arn}:1`,
    `${ACCOUNT}:function:${FN}`,
    `${FN}:$LATEST`,
    `${FN}:alias`,
    `arn:aws:lambda:eu-west-1:111111111111:function:${FN}`,
    'arn:aws:lambda:::',
    `${FN}:`,
    ':',
    'a'.repeat(200),
    ...oddKeys,
  ),
  fc.string({ maxLength: 12 }),
);
const segment = fc.oneof(
  { weight: 4, arbitrary: rawName.map(encodeURIComponent) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '%',
      '%zz',
      '%E0%A4%A',
      '%2F',
      '%00',
      '..',
      '.',
      '%2e%2e',
      'fuzz%2Dfn',
      '%F0%9F%98%80',
      `arn%3Aaws%3Alambda%3Aus-east-1%3A${ACCOUNT}%3Afunction%3A${FN}`,
    ),
  },
);
const suffix = fc.oneof(
  fc.constantFrom('', '', '/configuration', '/code', '/invocations', '/policy', '/versions', '/x', '/policy/a/b', '/configuration/x', '/'),
  segment.map((s) => `/policy/${s}`),
);
const query = fc.oneof(
  fc.constant(''),
  fc
    .tuple(
      fc.constantFrom('Qualifier', 'MaxItems', 'Marker', 'RevisionId', 'FunctionVersion', 'Qualifier'),
      fc.oneof(
        fc.constantFrom('$LATEST', '1', '0', '-1', 'abc', '1e309', '', '%zz', '99999999999999999999', 'ALL'),
        fc.string({ maxLength: 8 }),
      ),
    )
    .map(([k, v]) => `?${k}=${encodeURIComponent(v)}`),
  fc.constantFrom('?%zz', '?Qualifier=%zz', '?MaxItems=1&MaxItems=2', '?&&'),
);
const path = fc.oneof(
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.constantFrom(
          '/2015-03-31/functions',
          '/2015-03-31/functions/',
          '/2015-03-31/function',
          '/2015-03-31/functions//',
          '/2015-03-31',
        ),
        query,
      )
      .map(([p, q]) => p + q),
  },
  { weight: 6, arbitrary: fc.tuple(segment, suffix, query).map(([s, x, q]) => `/2015-03-31/functions/${s}${x}${q}`) },
);

const weird = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(null, true, -1, 1.5, 1e21, '', [], {}));
const zipFile = fc.oneof(
  fc.constantFrom(
    GOOD_ZIP,
    NO_HANDLER_ZIP,
    ESCAPING_ZIP,
    'not base64!',
    b64(strToU8('hello, not a zip')),
    '',
    '====',
    'UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA==',
  ),
  weird,
);
const member: [string, fc.Arbitrary<unknown>][] = [
  ['FunctionName', fc.oneof(fc.constantFrom(FN, 'fuzz-new', 'bad name!', '', arn), weird)],
  ['Runtime', fc.oneof(fc.constantFrom('nodejs20.x', 'nodejs18.x', 'python3.12', 'nodejs1.x', ''), weird)],
  ['Role', fc.oneof(fc.constantFrom(ROLE, 'arn:aws:iam::1:role/x', 'role', ''), weird)],
  ['Handler', fc.oneof(fc.constantFrom('index.handler', 'missing.handler', 'index', '../x.handler', 'index.nope', ''), weird)],
  [
    'Code',
    fc.oneof(
      fc.record(
        {
          ZipFile: zipFile,
          S3Bucket: fc.oneof(fc.string({ maxLength: 5 }), weird),
          ImageUri: fc.oneof(fc.string({ maxLength: 5 }), weird),
        },
        { requiredKeys: [] },
      ),
      weird,
    ),
  ],
  ['ZipFile', zipFile],
  ['Timeout', fc.oneof(fc.integer({ min: -1, max: 1000 }), weird)],
  ['MemorySize', fc.oneof(fc.integer({ min: 0, max: 20000 }), weird)],
  ['Description', fc.oneof(fc.string({ maxLength: 10 }), weird)],
  [
    'Environment',
    fc.oneof(
      fc.record(
        {
          Variables: fc.oneof(
            fc.dictionary(
              fc.oneof(fc.string({ maxLength: 5 }), fc.constantFrom('AWS_REGION', '1x', ...oddKeys)),
              fc.oneof(fc.string({ maxLength: 5 }), weird),
              { maxKeys: 3 },
            ),
            weird,
          ),
        },
        { requiredKeys: [] },
      ),
      weird,
    ),
  ],
  ['Tags', fc.oneof(fc.dictionary(fc.string({ maxLength: 5 }), fc.oneof(fc.string({ maxLength: 5 }), weird), { maxKeys: 3 }), weird)],
  ['Architectures', fc.oneof(fc.constantFrom(['x86_64'], ['arm64'], ['mips']), weird)],
  ['PackageType', fc.oneof(fc.constantFrom('Zip', 'Image', 'x'), weird)],
  ['Publish', weird],
  ['StatementId', fc.oneof(fc.constantFrom('s1', 'bad id!', ''), weird)],
  ['Action', fc.oneof(fc.constantFrom('lambda:InvokeFunction', 'lambda:*', 'x'), weird)],
  ['Principal', fc.oneof(fc.constantFrom('events.amazonaws.com', 'sns.amazonaws.com', '*', '123456789012', ''), weird)],
  ['SourceArn', fc.oneof(fc.constantFrom(`arn:aws:events:us-east-1:${ACCOUNT}:rule/r`, 'x'), weird)],
  ['SourceAccount', fc.oneof(fc.constantFrom(ACCOUNT, 'x'), weird)],
  ['RevisionId', fc.oneof(fc.string({ maxLength: 5 }), weird)],
  ['DryRun', weird],
];
const jsonObject = fc
  .array(fc.constantFrom(...member.map((_, i) => i)), { maxLength: 6 })
  .chain((picks) =>
    fc
      .tuple(...[...new Set(picks)].map((i) => member[i]![1].map((v) => [member[i]![0], v] as const)))
      .map((kv) => JSON.stringify(Object.fromEntries(kv))),
  );
const body = fc.oneof(
  { weight: 6, arbitrary: jsonObject },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)) },
  {
    weight: 1,
    arbitrary: fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.constantFrom('', '{', 'null', '[]', '"x"', '\u0000', '{"__proto__":{"Runtime":"x"}}'),
    ),
  },
);
const invokeHeaders = fc.record(
  {
    'x-amz-invocation-type': fc.constantFrom('RequestResponse', 'Event', 'DryRun', 'bogus', ''),
    'x-amz-log-type': fc.constantFrom('Tail', 'None', 'x', ''),
    'x-amz-client-context': fc.constantFrom('', 'not base64!', b64(strToU8('{"custom":{"a":1}}')), b64(strToU8('not json'))),
  },
  { requiredKeys: [] },
);
const method = fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH');

/** Lambda's error: the code in x-amzn-ErrorType, `{"Type", "Message"}` in the body. */
function assertLambdaError(status: number, headers: Headers, text: string, what: string): void {
  assert.ok(status >= 400 && status < 500, `${what} → ${status} ${text}`);
  assert.ok((headers.get('x-amzn-errortype') ?? '').length > 0, `${what}: no x-amzn-ErrorType: ${text}`);
  const parsed = JSON.parse(text) as { Type?: unknown; Message?: unknown };
  assert.ok(typeof parsed.Message === 'string' && parsed.Message.length > 0, `${what}: no Message: ${text}`);
  assert.ok(parsed.Type === 'User', `${what}: Type ${String(parsed.Type)}`);
}

// Regression, from the fuzzer: a malformed %-escape in the function name or statement id made
// decodeURIComponent throw (URIError → a 500).
test('a malformed %-escape in the path is refused in Lambda words, not a 500', async () => {
  for (const [m, p] of [
    ['GET', '/2015-03-31/functions/%zz'],
    ['GET', '/2015-03-31/functions/%E0%A4%A/configuration'],
    ['DELETE', `/2015-03-31/functions/${FN}/policy/%`],
  ] as const) {
    const res = await call(m, p, undefined);
    assertLambdaError(res.status, res.headers, res.text, `${m} ${p}`);
  }
  const name = await call('GET', '/2015-03-31/functions/%zz', undefined);
  assert.equal(name.headers.get('x-amzn-errortype'), 'ValidationException');
  assert.deepEqual(internalErrors(log), []);
});

test('no Lambda request makes the server crash, answer 5xx, or answer anything but a Lambda result', async () => {
  await fc.assert(
    fc.asyncProperty(method, path, body, invokeHeaders, async (m, p, b, h) => {
      const what = `${m} ${p} ${JSON.stringify(h)} ${b}`;
      const res = await call(m, p, b, h);
      if (res.status >= 200 && res.status < 300) return;
      assertLambdaError(res.status, res.headers, res.text, what);
    }),
    fuzzOptions(300, 20261208),
  );
  assert.deepEqual(internalErrors(log), []);
  assert.equal((await fetch(`${app.url}/_amiwatch/health`)).status, 200);
});

/** The functions' configurations and policies: what a refused write could have touched. */
async function snapshot(): Promise<string> {
  const list = await call('GET', '/2015-03-31/functions/', undefined);
  const fns = (JSON.parse(list.text) as { Functions: { FunctionName: string }[] }).Functions;
  const out: unknown[] = [fns];
  for (const f of fns) out.push((await call('GET', `/2015-03-31/functions/${f.FunctionName}/policy`, undefined)).text);
  return JSON.stringify(out);
}

test('a refused Lambda write leaves nothing half-written', async () => {
  const writes = fc.oneof(
    fc.constant(['POST', '/2015-03-31/functions'] as const),
    fc
      .tuple(
        fc.constantFrom('PUT', 'POST', 'DELETE'),
        fc.constantFrom(`/${FN}/configuration`, `/${FN}/code`, `/${FN}/policy`, `/${FN}/policy/s1`, '/missing/code'),
      )
      .filter(
        ([m, s]) => (m === 'PUT') === (s.endsWith('/configuration') || s.endsWith('/code')) && (m !== 'DELETE' || s.includes('/policy/')),
      )
      .map(([m, s]) => [m, `/2015-03-31/functions${s}`] as const),
  );
  await fc.assert(
    fc.asyncProperty(writes, body, async ([m, p], b) => {
      const before = await snapshot();
      const res = await call(m, p, b);
      if (res.status >= 200 && res.status < 300) return;
      assertLambdaError(res.status, res.headers, res.text, `${m} ${p} ${b}`);
      assert.equal(await snapshot(), before, `${m} ${p} ${b} was refused but changed state: ${res.text}`);
    }),
    fuzzOptions(100, 20261209),
  );
  assert.deepEqual(internalErrors(log), []);
});

test('members of the wrong JSON type are InvalidRequestContentException and are not stored', async () => {
  const config = async () => (await call('GET', `/2015-03-31/functions/${FN}/configuration`, undefined)).text;
  const before = await config();
  const cases: [string, string, Record<string, unknown>, string][] = [
    ['PUT', `/2015-03-31/functions/${FN}/configuration`, { Description: 5 }, 'description'],
    ['PUT', `/2015-03-31/functions/${FN}/configuration`, { Timeout: '30' }, 'timeout'],
    ['PUT', `/2015-03-31/functions/${FN}/configuration`, { Environment: { Variables: { A: 1 } } }, 'environment.variables.A.value'],
    ['PUT', `/2015-03-31/functions/${FN}/code`, { ZipFile: GOOD_ZIP, Publish: 'yes' }, 'publish'],
    [
      'POST',
      `/2015-03-31/functions/${FN}/policy`,
      { StatementId: 's-typed', Action: 'lambda:InvokeFunction', Principal: ['events.amazonaws.com'] },
      'principal',
    ],
    [
      'POST',
      '/2015-03-31/functions',
      { FunctionName: 'typed', Runtime: 'nodejs20.x', Role: ROLE, Handler: 'index.handler', Code: { ZipFile: GOOD_ZIP }, Tags: [] },
      'tags',
    ],
  ];
  for (const [m, p, body, member] of cases) {
    const res = await call(m, p, JSON.stringify(body));
    assert.equal(res.status, 400, `${m} ${p} ${JSON.stringify(body)}: ${res.text}`);
    assert.equal(res.headers.get('x-amzn-errortype'), 'InvalidRequestContentException');
    assert.match(
      (JSON.parse(res.text) as { Message: string }).Message,
      new RegExp(`^Could not parse request body into json: .*${member.replace(/\./g, '\\.')}`),
    );
  }
  assert.equal(await config(), before, 'the configuration is unchanged');
  assert.equal((await call('GET', '/2015-03-31/functions/typed', undefined)).status, 404, 'nothing created');
  assert.equal((await call('GET', `/2015-03-31/functions/${FN}/policy`, undefined)).text.includes('s-typed'), false);
});
