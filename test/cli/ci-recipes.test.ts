import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parse } from 'yaml';
import { fences } from './doc-files.js';
import { freePort, Sandbox } from './helpers.js';

/**
 * docs/ci.md's GitHub Actions and GitLab CI jobs, run here as their runners would run them: the
 * shell steps in order (each GitHub step in its own shell; GitLab's before_script and script in
 * one), the job's variables set, `amiwatch` being the installed command. What is the user's own
 * is stood in for: `npm ci` (amiwatch is already installed) and `npm test`, which here makes AMI
 * events (the quickstart) and then fails, so the failure path — the exported history and the
 * artifacts — is what gets checked. The documented port is replaced by a free one.
 */
const USER_TESTS = 'amiwatch quickstart --timeout 30 > user-tests.log 2>&1; echo "1 test failed"; exit 1';

const page = readFileSync('docs/ci.md', 'utf8');
const yamls = fences(page)
  .filter((f) => f.lang === 'yaml')
  .map((f) => parse(f.body) as Record<string, any>);
const github = yamls.find((y) => y.jobs)!;
const gitlab = yamls.find((y) => y.test?.script)!;

/** The user's parts stood in for, `npx amiwatch` as the installed command, the free port. */
function adapt(script: string, port: number): string | null {
  if (/^npm ci\b/.test(script.trim())) return null;
  return script
    .replace(/\bnpm test\b/g, `( ${USER_TESTS} )`)
    .replace(/\bnpx amiwatch /g, 'amiwatch ')
    .replace(/\b4566\b/g, String(port));
}

function variables(vars: Record<string, unknown>, port: number, dir: string): Record<string, string> {
  return Object.fromEntries(
    Object.entries(vars).map(([k, v]) => [
      k,
      String(v)
        .replace(/\b4566\b/g, String(port))
        .replace('$CI_PROJECT_DIR', dir),
    ]),
  );
}

/** Runs a step in its own process group (so the server it leaves in the background can be stopped afterwards). */
function step(box: Sandbox, script: string, env: Record<string, string>, groups: number[]): Promise<{ code: number | null; out: string }> {
  const child = spawn('bash', ['-eo', 'pipefail', '-c', script], {
    cwd: box.dir,
    env: { ...box.env, ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  groups.push(child.pid!);
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((done) => child.on('exit', (code) => done({ code, out })));
}

function stopAll(groups: number[]): void {
  for (const pgid of groups) {
    try {
      process.kill(-pgid, 'SIGTERM');
    } catch {
      // That group has no process left.
    }
  }
}

function checkHistory(dir: string): void {
  const lines = readFileSync(join(dir, 'amiwatch-history.jsonl'), 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.ok(
    lines.some((l) => l.event['detail-type'] === 'EC2 AMI State Change' && l.event.detail.State === 'available'),
    'the history holds the AMI event of the user tests',
  );
  assert.ok(
    lines.some((l) => l.rules.length > 0 && l.deliveries.length > 0),
    'with the rules it matched and the deliveries',
  );
  assert.match(readFileSync(join(dir, 'amiwatch.log'), 'utf8'), /listening on http:\/\/127\.0\.0\.1:\d+/);
}

describe('docs/ci.md: the CI jobs, run', () => {
  const boxes: Sandbox[] = [];
  const groups: number[] = [];
  after(() => {
    stopAll(groups);
    for (const box of boxes) box.remove();
  });

  it('GitHub Actions: start in the background, wait, tests fail, the history and the log are uploaded', { timeout: 180_000 }, async () => {
    const box = new Sandbox();
    boxes.push(box);
    const port = await freePort();
    const job = Object.values(github.jobs as Record<string, { env: Record<string, unknown>; steps: Record<string, any>[] }>)[0]!;
    const env = variables(job.env, port, box.dir);
    assert.equal(env.AWS_ENDPOINT_URL, `http://127.0.0.1:${port}`);
    let failed = false;
    const uploaded: string[] = [];
    const ran: string[] = [];
    for (const s of job.steps) {
      const onFailure = s.if === 'failure()';
      if (failed !== onFailure) continue;
      if (s.uses) {
        if (String(s.uses).startsWith('actions/upload-artifact')) uploaded.push(...String(s.with.path).trim().split('\n'));
        continue;
      }
      const script = adapt(String(s.run), port);
      if (script === null) continue;
      const r = await step(box, script, env, groups);
      ran.push(`${s.name ?? s.run} → ${r.code}`);
      if (r.code !== 0) {
        assert.match(script, /quickstart/, `a step other than the tests failed: ${s.run}\n${r.out}`);
        failed = true;
      }
    }
    assert.ok(failed, `the tests step should have failed: ${ran.join('; ')}`);
    assert.match(readFileSync(join(box.dir, 'user-tests.log'), 'utf8'), /"State": "available"/, 'the user tests reached amiwatch');
    assert.deepEqual(
      uploaded.map((p) => p.trim()),
      ['amiwatch-history.jsonl', 'amiwatch.log'],
    );
    for (const p of uploaded) assert.ok(existsSync(join(box.dir, p.trim())), `${p} was not written`);
    checkHistory(box.dir);
  });

  it('GitLab CI: before_script and script in one shell; on failure the history is exported and kept', { timeout: 180_000 }, async () => {
    const box = new Sandbox();
    boxes.push(box);
    const port = await freePort();
    const job = gitlab.test as {
      variables: Record<string, unknown>;
      before_script: string[];
      script: string[];
      artifacts: { when: string; paths: string[] };
    };
    const lines = [...job.before_script, ...job.script].map((l) => adapt(l, port)).filter((l): l is string => l !== null);
    const r = await step(box, lines.join('\n'), variables(job.variables, port, box.dir), groups);
    assert.equal(r.code, 1, r.out);
    assert.match(r.out, /1 test failed/);
    assert.match(r.out, /wrote \d+ events? to .*amiwatch-history\.jsonl/);
    assert.equal(job.artifacts.when, 'on_failure');
    for (const p of job.artifacts.paths) assert.ok(existsSync(join(box.dir, p)), `${p} was not written`);
    checkHistory(box.dir);
  });
});
