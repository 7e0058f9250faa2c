import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { Running, Sandbox } from './helpers.js';

/**
 * Every ```sh block of the README and of docs/ is run as a new user would type it: in a fresh
 * temporary directory, with `amiwatch` on PATH, against a server started the documented way.
 * Conventions in the blocks: `# exit N` at the end of a line is its expected exit code (else 0);
 * a following `# → TEXT` line is text its output must contain. `amiwatch start`, `npm start` and
 * a bare `amiwatch tail` run until stopped: they are started, must say they are ready, and must
 * stop cleanly on a signal. Blocks of other languages (```text, ```json, ```js, ```python,
 * ```yaml) are illustrations and are not run.
 */
const documents = ['README.md', 'docs/getting-started.md', 'docs/cli.md', 'docs/aws-clients.md', 'docs/patterns.md', 'docs/testing-ami-automation.md', 'docs/delivery.md'];

/** Commands the suite cannot run from inside itself, with the reason. */
const notRun: Record<string, string> = {
  'npm install': 'the suite runs after it (npm ci in CI)',
  'npm test': 'this is the suite',
};

interface Command {
  readonly line: string;
  readonly exit: number;
  readonly expect: string[];
}

export function shellBlocks(markdown: string): Command[][] {
  const blocks: Command[][] = [];
  for (const m of markdown.matchAll(/^```sh\n([\s\S]*?)^```$/gm)) {
    const commands: Command[] = [];
    const lines = m[1]!.replace(/\\\n\s*/g, '').split('\n');
    for (const raw of lines) {
      const line = raw.trim();
      if (line === '') continue;
      const expectation = /^# → (.*)$/.exec(line);
      if (expectation) {
        commands[commands.length - 1]!.expect.push(expectation[1]!);
        continue;
      }
      if (line.startsWith('#')) continue;
      const exit = /\s# exit (\d+)$/.exec(line);
      commands.push({ line, exit: exit ? Number(exit[1]) : 0, expect: [] });
    }
    blocks.push(commands);
  }
  return blocks;
}

const longRunning = (line: string): 'start' | 'npm-start' | 'tail' | null => {
  const cmd = line.replace(/^npx /, '').replace(/\s+#.*$/, '');
  if (/^amiwatch start\b/.test(cmd)) return 'start';
  if (/^npm start\b/.test(cmd)) return 'npm-start';
  if (/^amiwatch tail\b/.test(cmd) && !/--count|&/.test(cmd)) return 'tail';
  return null;
};

const quote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;

/** One bash script per block: each command's output is shown and checked as it runs. */
export function script(commands: readonly Command[]): string {
  return commands
    .map((c, i) => {
      const checks = c.expect.map((t) => `grep -qF -- ${quote(t)} .out.${i} || { echo "DOCTEST: output of line ${i + 1} lacks: "${quote(t)}; exit 99; }`);
      return [
        `{ ${c.line}\n} > .out.${i} 2>&1; rc=$?; cat .out.${i}`,
        `[ $rc -eq ${c.exit} ] || { echo "DOCTEST: line ${i + 1} exited $rc, expected ${c.exit}: "${quote(c.line)}; exit 99; }`,
        ...checks,
      ].join('\n');
    })
    .join('\n');
}

for (const document of documents) {
  describe(`${document}: every sh command, as a new user runs it`, () => {
    const box = new Sandbox();
    let server: Running;
    let url: string;
    const blocks = shellBlocks(readFileSync(document, 'utf8'));
    before(async () => {
      server = await box.background(['start', '--port', '0', '--ami-duration', '500ms'], /Stop with Ctrl-C/);
      url = /AWS APIs {2}(http:\/\/\S+)/.exec(server.stdout)![1]!;
      box.env.AMIWATCH_ENDPOINT_URL = url;
    });
    after(async () => {
      if (server) assert.equal(await server.stop(), 0);
      box.remove();
    });

    it('has commands to run', () => assert.ok(blocks.flat().length > 0));

    blocks.forEach((block, b) => {
      it(`block ${b + 1}: ${block.map((c) => c.line.slice(0, 60)).join(' ; ')}`, { timeout: 120_000 }, async () => {
        const here = (line: string) => line.replaceAll('http://127.0.0.1:4566', url).replace(/--port 4566\b/, '--port 0');
        const batch: Command[] = [];
        const flush = async () => {
          if (batch.length === 0) return;
          const r = await box.sh(script(batch), { timeoutMs: 100_000 });
          assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
          batch.length = 0;
        };
        for (const c of block) {
          const skip = Object.keys(notRun).find((k) => c.line.startsWith(k));
          if (skip) continue;
          const kind = longRunning(c.line);
          if (kind === null) {
            batch.push({ ...c, line: here(c.line).replace(/^npx amiwatch /, 'amiwatch ') });
            continue;
          }
          await flush();
          await runLongRunning(box, kind, here(c.line), c);
        }
        await flush();
      });
    });
  });
}

async function runLongRunning(box: Sandbox, kind: 'start' | 'npm-start' | 'tail', line: string, c: Command): Promise<void> {
  const ready = kind === 'tail' ? /tailing/ : /Stop with Ctrl-C/;
  let command = line.replace(/\s+#.*$/, '');
  if (kind === 'npm-start') command = `${command} -- --port 0 --data-dir ${box.dir}/.npm-start`;
  else if (kind === 'start' && !/--port\b/.test(command)) command += ' --port 0';
  // npm start runs from the repository, as the README says; the others in the user's directory.
  const child = spawn('bash', ['-c', `exec ${command.replace(/^npx amiwatch /, 'amiwatch ')}`], { cwd: kind === 'npm-start' ? process.cwd() : box.dir, env: box.env, detached: kind === 'npm-start' });
  const running = await Running.waitFor(child, ready, 60_000);
  for (const text of c.expect) assert.ok((running.stdout + running.stderr).includes(text), `${line}: lacks ${text}`);
  if (kind === 'npm-start') {
    // npm runs node as its child: signal the group, as Ctrl-C in a terminal does.
    process.kill(-child.pid!, 'SIGINT');
    await running.exited;
    assert.match(running.stdout, /amiwatch: stopped/);
    return;
  }
  assert.equal(await running.stop(kind === 'tail' ? 'SIGINT' : 'SIGTERM'), 0, `${line}: ${running.stderr}`);
}

describe('the docs harness itself', () => {
  const box = new Sandbox();
  after(() => box.remove());

  it('fails a command whose exit code or output differs from what the doc says', async () => {
    const [commands] = shellBlocks('```sh\necho hello  # exit 0\n# → hello\nfalse  # exit 1\n```\n');
    assert.deepEqual(commands, [{ line: 'echo hello  # exit 0', exit: 0, expect: ['hello'] }, { line: 'false  # exit 1', exit: 1, expect: [] }]);
    assert.equal((await box.sh(script(commands!))).code, 0);
    const wrongText = await box.sh(script([{ line: 'echo hello', exit: 0, expect: ['goodbye'] }]));
    assert.equal(wrongText.code, 99);
    assert.match(wrongText.stdout, /lacks: goodbye/);
    const wrongCode = await box.sh(script([{ line: 'false', exit: 0, expect: [] }]));
    assert.equal(wrongCode.code, 99);
    assert.match(wrongCode.stdout, /exited 1, expected 0/);
  });
});
