#!/usr/bin/env node
// Runs every *.test.ts under packages/*/test and test/ with node's own test runner (through tsx),
// two files at a time, each in a process group of its own. Extra arguments are filters:
// `npm test -- matcher` runs only the files whose path contains "matcher".
//
// Why not one `node --test a b c …`: a file whose test never settles, or whose child processes
// (nats-server, a browser, an amiwatch node) keep its event loop alive, would hold that runner
// forever, and CI would only see a timeout with no name. Here each file has a hard limit
// (AMIWATCH_TEST_FILE_TIMEOUT_S, default 900 s; node's own --test-timeout would time the whole
// file as one test too): past it the file's whole process group is killed
// and the file counts as failed, by name. `--test-force-exit` ends a file once its tests are done
// even when a handle is left open, and every process group is killed when its file ends, so no
// stray server outlives its file. The closing lines are node's own summary, summed over files,
// followed by a plain "N passed, N failed" line.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const CONCURRENCY = Number(process.env.AMIWATCH_TEST_CONCURRENCY ?? 2);
const FILE_TIMEOUT_MS = Number(process.env.AMIWATCH_TEST_FILE_TIMEOUT_S ?? 900) * 1000;

const roots = ['test', ...readdirSync('packages').map((p) => join('packages', p, 'test'))].filter(existsSync);
const filters = process.argv.slice(2);
const files = roots
  .flatMap((root) => readdirSync(root, { recursive: true }).map((f) => join(root, String(f))))
  .filter((f) => f.endsWith('.test.ts'))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}

const COUNTERS = ['tests', 'suites', 'pass', 'fail', 'cancelled', 'skipped', 'todo'];
const total = Object.fromEntries(COUNTERS.map((k) => [k, 0]));
const failedFiles = [];
const groups = new Set();
const started = Date.now();

/** Adds one file's closing `ℹ name N` lines to the totals; false when the file printed none. */
function count(output) {
  let seen = false;
  for (const k of COUNTERS) {
    const m = new RegExp(`^ℹ ${k} (\\d+)$`, 'm').exec(output);
    if (m) {
      total[k] += Number(m[1]);
      seen = true;
    }
  }
  return seen;
}

function killGroup(pid) {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // the group is gone already
  }
}

function runFile(file) {
  return new Promise((resolve) => {
    const args = ['--import', 'tsx', '--test', '--test-reporter=spec', '--test-force-exit', file];
    const child = spawn(process.execPath, args, {
      detached: true, // its own process group: whatever it starts goes down with it
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_NO_WARNINGS: '1' },
    });
    groups.add(child.pid);
    const t0 = Date.now();
    let output = '';
    child.stdout.on('data', (b) => (output += b));
    child.stderr.on('data', (b) => (output += b));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, FILE_TIMEOUT_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      killGroup(child.pid);
      groups.delete(child.pid);
      const seconds = ((Date.now() - t0) / 1000).toFixed(1);
      process.stdout.write(`\n# ${file} (${seconds} s)\n${output}`);
      const counted = count(output);
      if (timedOut) {
        console.log(`✖ ${file}: killed after ${FILE_TIMEOUT_MS / 1000} s (the file did not finish)`);
        total.fail += 1;
        failedFiles.push(`${file} (timed out)`);
      } else if (code !== 0) {
        if (!counted) total.fail += 1; // it died before its summary: count the file as one failure
        failedFiles.push(`${file} (exit ${code ?? signal})`);
      }
      resolve();
    });
  });
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    for (const pid of groups) killGroup(pid);
    process.exit(130);
  });
}

const queue = [...files];
await Promise.all(
  Array.from({ length: Math.min(CONCURRENCY, queue.length) }, async () => {
    for (let file = queue.shift(); file !== undefined; file = queue.shift()) await runFile(file);
  }),
);

console.log('');
if (failedFiles.length > 0) console.log(`failed files:\n${failedFiles.map((f) => `  ${f}`).join('\n')}`);
for (const k of COUNTERS) console.log(`ℹ ${k} ${total[k]}`);
console.log(`ℹ duration_ms ${Date.now() - started}`);
console.log(`${total.pass} passed, ${total.fail} failed`);
process.exit(failedFiles.length > 0 || total.fail > 0 ? 1 : 0);
