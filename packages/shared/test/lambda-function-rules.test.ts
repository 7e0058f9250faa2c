import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DEPRECATED_LAMBDA_RUNTIMES,
  ENV_KEY,
  FUNCTION_NAME,
  HANDLER,
  isPythonRuntime,
  LAMBDA_MEMORY,
  LAMBDA_RUNTIMES,
  LAMBDA_TIMEOUT,
  MAX_HANDLER,
  NODE_RUNTIMES,
  PYTHON_RUNTIMES,
  RESERVED_ENV_KEY,
} from '@amiwatch/shared';

test("CreateFunction's limits and runtimes: Lambda's quotas, the Node.js and Python runtimes amiwatch runs", () => {
  assert.deepEqual(LAMBDA_MEMORY, { min: 128, max: 10_240, default: 128 });
  assert.deepEqual(LAMBDA_TIMEOUT, { min: 1, max: 900, default: 3 });
  assert.ok(NODE_RUNTIMES.length > 0 && NODE_RUNTIMES.every((r) => /^nodejs\d+\.x$/.test(r)), NODE_RUNTIMES.join());
  assert.deepEqual(PYTHON_RUNTIMES, ['python3.11', 'python3.12', 'python3.13']);
  assert.deepEqual(LAMBDA_RUNTIMES, [...NODE_RUNTIMES, ...PYTHON_RUNTIMES]);
  assert.ok(LAMBDA_RUNTIMES.every((r) => isPythonRuntime(r) === r.startsWith('python')));
  // Deprecated by Lambda (creates and updates blocked): refused, and never in the list.
  for (const old of ['nodejs18.x', 'python3.8', 'python2.7'])
    assert.ok(DEPRECATED_LAMBDA_RUNTIMES.includes(old) && !LAMBDA_RUNTIMES.includes(old), old);
});

test('function names: 1–64 letters, digits, hyphens, underscores', () => {
  for (const ok of ['a', 'my-function_2', 'x'.repeat(64)]) assert.ok(FUNCTION_NAME.test(ok), ok);
  for (const bad of ['', 'x'.repeat(65), 'bad name', 'dots.not', 'ümlaut', 'arn:aws:lambda']) assert.ok(!FUNCTION_NAME.test(bad), bad);
});

test('handlers and environment keys', () => {
  assert.ok(HANDLER.test('index.handler') && HANDLER.test('src/a.b.handler'));
  assert.ok(!HANDLER.test('has space.handler') && !HANDLER.test(''));
  assert.equal(MAX_HANDLER, 128);
  for (const ok of ['GREETING', 'a1', 'MY_AWS_REGION']) assert.ok(ENV_KEY.test(ok) && !RESERVED_ENV_KEY.test(ok), ok);
  for (const bad of ['A', '1x', 'with-dash']) assert.ok(!ENV_KEY.test(bad), bad);
  for (const reserved of ['AWS_REGION', 'AWS_LAMBDA_FUNCTION_NAME', 'LAMBDA_TASK_ROOT', '_HANDLER', 'AWS_SESSION_TOKEN'])
    assert.ok(RESERVED_ENV_KEY.test(reserved), reserved);
});
