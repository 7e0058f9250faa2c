import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { before, describe, it } from 'node:test';
import { fences } from '../cli/doc-files.js';

/**
 * The three example projects of docs/testing-ami-automation.md (examples/), each run with its own
 * test runner as its package.json says, importing `amiwatch` by name as a user's project does:
 * their `node_modules/amiwatch` is the link `npm install` makes for the `file:../..` dependency
 * (the compiled package: `npm run build` first). Their types are checked against the package's
 * declarations, and the page shows exactly these files.
 */
const root = resolve('.');
const examples = resolve('examples');
const bin = (path: string) => join(root, 'node_modules', path);

const runners: Record<string, { args: string[]; passed: RegExp }> = {
  'node-test': { args: ['--import', 'tsx', '--test', 'ami-events.test.ts'], passed: /# pass 2\n# fail 0/ },
  vitest: { args: [bin('vitest/vitest.mjs'), 'run'], passed: /Tests +2 passed \(2\)/ },
  jest: { args: ['--experimental-vm-modules', bin('jest/bin/jest.js')], passed: /Tests: +2 passed, 2 total/ },
};

function run(cwd: string, args: readonly string[]): Promise<{ code: number | null; output: string }> {
  // A user's shell: no amiwatch or AWS settings of this machine, no colours to match around.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(AWS_|AMIWATCH_|NODE_OPTIONS|NODE_TEST)/.test(k)));
  const child = spawn(process.execPath, args, {
    cwd,
    env: { ...env, NO_COLOR: '1', FORCE_COLOR: '0', CI: '1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  return new Promise((done) => child.on('exit', (code) => done({ code, output })));
}

describe('examples: amiwatch embedded in node:test, Vitest and Jest suites', () => {
  before(() => {
    for (const name of Object.keys(runners)) {
      const modules = join(examples, name, 'node_modules');
      mkdirSync(modules, { recursive: true });
      if (!existsSync(join(modules, 'amiwatch'))) symlinkSync('../../..', join(modules, 'amiwatch'), 'dir');
    }
  });

  for (const [name, runner] of Object.entries(runners)) {
    it(`${name}: the example suite passes`, { timeout: 120_000 }, async () => {
      const { code, output } = await run(join(examples, name), runner.args);
      assert.equal(code, 0, output);
      assert.match(output, runner.passed, output);
    });
  }

  it('type-checks against the package’s own declarations (exports → dist/index.d.ts)', { timeout: 120_000 }, async () => {
    const { code, output } = await run(root, [bin('typescript/bin/tsc'), '-p', 'examples/tsconfig.json']);
    assert.equal(code, 0, output);
  });

  it('docs/testing-ami-automation.md shows these very files', () => {
    const page = readFileSync('docs/testing-ami-automation.md', 'utf8');
    const shown = new Set(fences(page).map((f) => f.body.trim()));
    for (const file of ['node-test/ami-events.test.ts', 'vitest/ami-events.test.ts', 'jest/ami-events.test.ts', 'jest/jest.config.js']) {
      assert.ok(shown.has(readFileSync(join(examples, file), 'utf8').trim()), `the page does not show examples/${file} as it is`);
    }
  });
});
