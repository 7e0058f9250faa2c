import { test } from 'node:test';
import assert from 'node:assert/strict';
import AdmZip from 'adm-zip';
import { handlerFile, handlerSource, openPackage, packageWithCode } from '../../console/src/api/deployment-package.js';
import { envKeyProblem, functionNameProblem, handlerProblem, MEMORY, rangeProblem, TIMEOUT } from '../../console/src/api/lambda-rules.js';
import { checkZip } from '../../src/core/lambda/code-package.js';
import { checkEnvironment, checkHandler, checkMemory, checkTimeout } from '../../src/core/lambda/function-config.js';
import { checkNewName } from '../../src/core/lambda/names.js';
import { zipOf } from '../lambda/helpers.js';

/**
 * The console checks CreateFunction's input as you type, in its own words, from the rules it
 * shares with the server (@amiwatch/shared): whatever the form accepts, the server accepts, and
 * the other way round; and a package zipped in the browser opens on the server.
 */
const accepts = (check: () => unknown): boolean => {
  try {
    check();
    return true;
  } catch {
    return false;
  }
};

test('memory and timeout: the form and the server agree at every boundary', () => {
  for (const n of [0, 1, 127, 128, 129, 900, 901, 10_240, 10_241]) {
    assert.equal(
      rangeProblem(String(n), MEMORY, 'MB') === null,
      accepts(() => checkMemory(n)),
      `memory ${n}`,
    );
    assert.equal(
      rangeProblem(String(n), TIMEOUT, 'seconds') === null,
      accepts(() => checkTimeout(n)),
      `timeout ${n}`,
    );
  }
});

test('function names, handlers and environment keys: the form and the server agree', () => {
  for (const name of ['a', 'my-function_2', 'x'.repeat(64), 'x'.repeat(65), 'bad name', 'dots.not', 'ümlaut', 'arn:aws:lambda', '']) {
    assert.equal(
      functionNameProblem(name) === null,
      accepts(() => checkNewName(name)),
      `name ${JSON.stringify(name)}`,
    );
  }
  for (const handler of ['index.handler', 'app/main.handler', 'src/a.b.handler']) {
    assert.equal(handlerProblem(handler), null, handler);
    assert.ok(
      accepts(() => checkHandler(handler)),
      handler,
    );
  }
  for (const handler of ['has space.handler', '', 'x'.repeat(129)])
    assert.ok(handlerProblem(handler) !== null && !accepts(() => checkHandler(handler)), handler);
  for (const key of [
    'GREETING',
    'a1',
    'A',
    '1x',
    'with-dash',
    'AWS_REGION',
    'AWS_LAMBDA_FUNCTION_NAME',
    'LAMBDA_TASK_ROOT',
    'MY_AWS_REGION',
  ]) {
    assert.equal(
      envKeyProblem(key) === null,
      accepts(() => checkEnvironment({ [key]: 'v' })),
      `key ${key}`,
    );
  }
});

test('packages zipped in the browser open on the server; an edit keeps the other files', () => {
  const fresh = packageWithCode('export const handler = async () => 1;\n', 'index.handler');
  const checked = checkZip(fresh, {}, 'CreateFunction');
  assert.deepEqual(
    new AdmZip(checked.zip).getEntries().map((e) => e.entryName),
    ['index.mjs'],
  );

  const uploaded = openPackage(zipOf({ 'app/main.js': 'exports.handler = 1;\n', 'app/lib.js': 'exports.x = 2;\n' }));
  assert.equal(handlerFile(uploaded, 'app/main.handler'), 'app/main.js');
  assert.equal(handlerSource(uploaded, 'app/main.handler'), 'exports.handler = 1;\n');
  const edited = new AdmZip(Buffer.from(packageWithCode('exports.handler = 3;\n', 'app/main.handler', uploaded)));
  assert.equal(edited.readAsText('app/main.js'), 'exports.handler = 3;\n');
  assert.equal(edited.readAsText('app/lib.js'), 'exports.x = 2;\n');
  assert.throws(() => openPackage(new TextEncoder().encode('not a zip')), /not a \.zip archive/);
});
