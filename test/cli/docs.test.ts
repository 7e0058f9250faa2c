import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { awsCliSkip, awsCliV2 } from '../support/aws-cli.js';
import { documentFiles, fences } from './doc-files.js';
import { Running, Sandbox } from './helpers.js';

/**
 * Every ```sh block of the README and of docs/ (every Markdown file there, found on disk) is run
 * as a new user would type it: in a fresh temporary directory, with `amiwatch` on PATH and `aws`
 * being the AWS CLI v2, against a server started the documented way — one server and one
 * directory per document, so a block may use what an earlier block of its page made (a topic,
 * a file, a shell variable such as `E=--endpoint-url=…`), as in one terminal.
 * Conventions in the blocks: `# exit N` at the end of a line is its expected exit code (else 0);
 * a following `# → TEXT` line is text its output must contain. `amiwatch start`, `npm start` and
 * a bare `amiwatch tail` run until stopped: they are started, must say they are ready, and must
 * stop cleanly on a signal. Here-documents (`cat > f <<'EOF'`) are part of their command.
 */

/** Blocks that are illustrations (output, payloads, code in other languages): shown, not run. */
const illustrations = new Set(['', 'text', 'json', 'js', 'ts', 'python', 'yaml']);

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

function shellBlocks(markdown: string): Command[][] {
  return fences(markdown)
    .filter((f) => f.lang === 'sh')
    .map((f) => commands(f.body));
}

function commands(body: string): Command[] {
  const lines = body.split('\n');
  const found: Command[] = [];
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!.trim();
    // A trailing backslash continues the command on the next line, as in a shell.
    while (line.endsWith('\\') && i + 1 < lines.length) line = line.slice(0, -1) + lines[++i]!.trim();
    if (line === '') continue;
    const expectation = /^# → (.*)$/.exec(line);
    if (expectation) {
      if (found.length === 0) throw new Error(`"${line}" follows no command`);
      found[found.length - 1]!.expect.push(expectation[1]!);
      continue;
    }
    if (line.startsWith('#')) continue;
    const exit = /\s# exit (\d+)$/.exec(line);
    // A here-document's lines are its command's input, kept as written up to the delimiter.
    const heredoc = /<<-?\s*(['"]?)([\w.-]+)\1/.exec(line);
    let text = line;
    if (heredoc) {
      const delimiter = heredoc[2]!;
      const input: string[] = [];
      while (i + 1 < lines.length && lines[i + 1]!.trim() !== delimiter) input.push(lines[++i]!);
      i++;
      text = [line, ...input, delimiter].join('\n');
    }
    found.push({ line: text, exit: exit ? Number(exit[1]) : 0, expect: [] });
  }
  return found;
}

const longRunning = (line: string): 'start' | 'npm-start' | 'tail' | null => {
  const cmd = line.replace(/^npx /, '').replace(/\s+#.*$/, '');
  if (/^amiwatch start\b/.test(cmd)) return 'start';
  if (/^npm start\b/.test(cmd)) return 'npm-start';
  if (/^amiwatch tail\b/.test(cmd) && !/--count|&/.test(cmd)) return 'tail';
  return null;
};

const usesAws = (line: string): boolean => /(^|[\s;&|($])aws\s/.test(line);

/** `aws` in the pages' shell is the CLI v2, whatever else is on PATH (a pip-installed v1 may be first). */
function useAwsCliV2(box: Sandbox): void {
  if (existsSync(awsCliV2)) symlinkSync(awsCliV2, join(box.bin, 'aws'));
}

const quote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;

/**
 * A page's commands run in several bash processes (one per run of commands between long-running
 * ones), yet a reader types them into one shell: the variables a script sets or changes are
 * written to this file at its end and read back at the start of the next.
 */
const shellState = '.doc-shell-state';
const keepState = `__nl=$'\\n'; __base="$__nl$(declare -p)$__nl"; [ -f ${shellState} ] && . ./${shellState}
__save() {
  for __v in $(compgen -v); do
    case "$__v" in __*|BASH*|FUNCNAME|LINENO|RANDOM|SRANDOM|SECONDS|EPOCH*|PIPESTATUS|_|rc|SHLVL|PWD|OLDPWD|HISTCMD|COLUMNS|LINES) continue;; esac
    __l="$(declare -p "$__v" 2>/dev/null)" || continue
    __f=\${__l#declare -}; case "\${__f%% *}" in *r*) continue;; esac
    case "$__base" in *"$__nl$__l$__nl"*) ;; *) printf '%s\\n' "$__l";; esac
  done > ${shellState}
}`;

/** One bash script per run of commands: each command's output is shown and checked as it runs. */
function script(commands: readonly Command[]): string {
  const steps = commands.map((c, i) => {
    const checks = c.expect.map(
      (t) => `grep -qF -- ${quote(t)} .out.${i} || { echo "DOCTEST: output of line ${i + 1} lacks: "${quote(t)}; exit 99; }`,
    );
    return [
      `{ ${c.line}\n} > .out.${i} 2>&1; rc=$?; cat .out.${i}`,
      `[ $rc -eq ${c.exit} ] || { echo "DOCTEST: line ${i + 1} exited $rc, expected ${c.exit}: "${quote(c.line)}; exit 99; }`,
      ...checks,
    ].join('\n');
  });
  return [keepState, ...steps, '__save'].join('\n');
}

/** Commands run over all documents: a harness that silently found nothing would prove nothing. */
let ran = 0;

for (const document of documentFiles()) {
  const markdown = readFileSync(document, 'utf8');
  const blocks = shellBlocks(markdown).filter((b) => b.length > 0);

  describe(`${document}: every sh command, as a new user runs it`, () => {
    it('has only sh blocks (run here) and illustrations', () => {
      const unknown = fences(markdown).filter((f) => f.lang !== 'sh' && !illustrations.has(f.lang));
      assert.deepEqual(
        unknown.map((f) => `line ${f.line}: \`\`\`${f.lang}`),
        [],
        'commands belong in ```sh blocks, which this test runs; an illustration in another language goes into `illustrations` above',
      );
    });
    if (blocks.length === 0) return;

    const box = new Sandbox();
    let server: Running;
    let url: string;
    before(async () => {
      useAwsCliV2(box);
      server = await box.background(
        ['start', '--port', '0', '--ami-duration', '500ms', '--instance-duration', '500ms'],
        /Stop with Ctrl-C/,
      );
      url = /AWS APIs {2}(http:\/\/\S+)/.exec(server.stdout)![1]!;
      box.env.AMIWATCH_ENDPOINT_URL = url;
    });
    after(async () => {
      if (server) assert.equal(await server.stop(), 0);
      box.remove();
    });

    blocks.forEach((block, b) => {
      const skip = block.some((c) => usesAws(c.line)) ? awsCliSkip : false;
      it(`block ${b + 1}: ${block.map((c) => c.line.split('\n')[0]!.slice(0, 60)).join(' ; ')}`, { skip, timeout: 120_000 }, async () => {
        // The documented address is the default port; this server listens on a free one.
        const here = (line: string) =>
          line.replace(/(?:http:\/\/)?(?:127\.0\.0\.1|localhost):4566\b/g, url).replace(/--port 4566\b/, '--port 0');
        const batch: Command[] = [];
        const flush = async () => {
          if (batch.length === 0) return;
          const r = await box.sh(script(batch), { timeoutMs: 100_000 });
          assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
          ran += batch.length;
          batch.length = 0;
        };
        for (const c of block) {
          if (Object.keys(notRun).some((k) => c.line.startsWith(k))) continue;
          const kind = longRunning(c.line);
          if (kind === null) {
            batch.push({ ...c, line: here(c.line).replace(/^npx amiwatch /, 'amiwatch ') });
            continue;
          }
          await flush();
          await runLongRunning(box, kind, here(c.line), c);
          ran++;
        }
        await flush();
      });
    });
  });
}

describe('all documents together', () => {
  it('ran documented commands', () => assert.ok(ran > 0, 'no sh command of README.md or docs/ was run'));

  // This suite gives each page its own server, but a reader goes from the README to getting
  // started and on with the one server `npm start` runs: an image name a second page uses again
  // is InvalidAMIName.Duplicate there, and that page's `amiwatch tail --count 1 … & … wait`
  // then waits for an event that never comes.
  it('names every image it creates differently across pages, as one reader runs them on one server', () => {
    const seen = new Map<string, string>();
    const reused: string[] = [];
    for (const document of documentFiles()) {
      for (const block of shellBlocks(readFileSync(document, 'utf8'))) {
        for (const c of block) {
          const name = /\bec2 (?:create-image|copy-image|register-image|create-restore-image-task)\b.*?--name[ =](\S+)/.exec(c.line)?.[1];
          if (name === undefined) continue;
          if (seen.has(name)) reused.push(`${name}: ${seen.get(name)} and ${document}`);
          else seen.set(name, document);
        }
      }
    }
    assert.ok(seen.size > 0, 'found no documented image');
    assert.deepEqual(reused, []);
  });
});

async function runLongRunning(box: Sandbox, kind: 'start' | 'npm-start' | 'tail', line: string, c: Command): Promise<void> {
  const ready = kind === 'tail' ? /tailing/ : /Stop with Ctrl-C/;
  let command = line.replace(/\s+#.*$/, '');
  if (kind === 'npm-start') command = `${command} -- --port 0 --data-dir ${box.dir}/.npm-start`;
  else if (kind === 'start' && !/--port\b/.test(command)) command += ' --port 0';
  // npm start runs from the repository, as the README says; the others in the user's directory.
  const child = spawn('bash', ['-c', `exec ${command.replace(/^npx amiwatch /, 'amiwatch ')}`], {
    cwd: kind === 'npm-start' ? process.cwd() : box.dir,
    env: box.env,
    detached: kind === 'npm-start',
  });
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
    assert.deepEqual(commands, [
      { line: 'echo hello  # exit 0', exit: 0, expect: ['hello'] },
      { line: 'false  # exit 1', exit: 1, expect: [] },
    ]);
    assert.equal((await box.sh(script(commands!))).code, 0);
    const wrongText = await box.sh(script([{ line: 'echo hello', exit: 0, expect: ['goodbye'] }]));
    assert.equal(wrongText.code, 99);
    assert.match(wrongText.stdout, /lacks: goodbye/);
    const wrongCode = await box.sh(script([{ line: 'false', exit: 0, expect: [] }]));
    assert.equal(wrongCode.code, 99);
    assert.match(wrongCode.stdout, /exited 1, expected 0/);
  });

  it('reads blocks in list items, continued lines and here-documents as a shell does', async () => {
    const md =
      '1. Make it:\n\n   ```sh\n   cat > f.js <<\'JS\'\n   # not a comment: file content\n\n     indented\n   JS\n   wc -l < f.js \\\n     | tr -d " "\n   # → 3\n   ```\n';
    const [commands] = shellBlocks(md);
    assert.deepEqual(commands, [
      { line: "cat > f.js <<'JS'\n# not a comment: file content\n\n  indented\nJS", exit: 0, expect: [] },
      { line: 'wc -l < f.js | tr -d " "', exit: 0, expect: ['3'] },
    ]);
    const r = await box.sh(script(commands!));
    assert.equal(r.code, 0, r.stdout);
    assert.equal(readFileSync(join(box.dir, 'f.js'), 'utf8'), '# not a comment: file content\n\n  indented\n');
  });

  it('gives the pages the AWS CLI v2 as `aws`, whatever comes first on PATH', { skip: awsCliSkip }, async () => {
    useAwsCliV2(box);
    const r = await box.sh('aws --version');
    assert.match(r.stdout, /^aws-cli\/2\./, r.stderr);
  });

  it('carries shell variables from one script of a page to the next, as one terminal would', async () => {
    const set = await box.sh(script([{ line: 'E=--endpoint-url=http://x; export REGION=eu-west-1; AWS_PAGER=less', exit: 0, expect: [] }]));
    assert.equal(set.code, 0, set.stdout);
    const use = await box.sh(
      script([
        {
          line: 'echo "$E $REGION $AWS_PAGER"; bash -c \'echo "child sees $REGION"\'',
          exit: 0,
          expect: ['--endpoint-url=http://x eu-west-1 less', 'child sees eu-west-1'],
        },
      ]),
    );
    assert.equal(use.code, 0, use.stdout);
  });
});
