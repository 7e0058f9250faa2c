import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServerProcess } from '../support/server-process.js';

/** `amiwatch start` on a data directory another amiwatch holds: a plain answer, not "internal error … please report it". */
const dir = mkdtempSync(join(tmpdir(), 'amiwatch-start-errors-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const root = new URL('../../', import.meta.url).pathname;

test('a second server on the same data directory says who holds it and exits with the usage code', { timeout: 60_000 }, async () => {
  const first = await startServerProcess(['--data-dir', dir]);
  try {
    const second = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'start', '--port', '0', '--data-dir', dir], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    second.stderr!.on('data', (c: Buffer) => (err += c.toString()));
    const code = await new Promise<number | null>((resolve) => second.once('exit', resolve));
    assert.equal(code, 2, err);
    assert.match(err, new RegExp(`is in use by another amiwatch \\(pid ${first.child.pid}\\)`));
    assert.doesNotMatch(err, /internal error|please report/i);
  } finally {
    first.child.kill('SIGTERM');
  }
});
