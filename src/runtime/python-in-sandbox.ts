import { execFile } from 'node:child_process';
import type { PythonInterpreter } from './python-interpreter.js';
import type { Sandbox } from './sandbox.js';

/**
 * Which of the interpreters found (python-interpreter.ts) a function can run on in this sandbox:
 * each is started once the way a function is (bwrap with its mounts, or setpriv as the
 * unprivileged user) and must import boto3. A pyenv Python under /root (0700) is the usual
 * failure of the `user` fallback: the function user cannot read it. The rest are given back with
 * one line per refused interpreter for the start log, so the failure is said rather than silent.
 */
export async function pythonsForSandbox(
  sandbox: Sandbox,
  found: readonly PythonInterpreter[],
  codeDir: string,
): Promise<{ usable: PythonInterpreter[]; problems: string[] }> {
  const checks = await Promise.all(found.map((p) => runsThere(sandbox, p, codeDir)));
  const usable = found.filter((_, i) => checks[i] === null);
  const problems = found.flatMap((p, i) => {
    const err = checks[i];
    if (err === null || err === undefined) return [];
    const why =
      sandbox.kind === 'user'
        ? `the function user cannot run it (is ${p.path} readable by that user? a pyenv under /root is not: install Python with boto3 where others can read it, e.g. /opt or /usr/local, and point --python at it, or install bubblewrap)`
        : 'it does not start in the sandbox';
    return [`Python ${p.version} (${p.path}) is not used for functions: ${why}: ${err}`];
  });
  return { usable, problems };
}

function runsThere(sandbox: Sandbox, p: PythonInterpreter, codeDir: string): Promise<string | null> {
  if (sandbox.kind === 'none') return Promise.resolve(null);
  const { file, args } = sandbox.command({
    execPath: p.path,
    args: ['-c', 'import boto3'],
    codeDir,
    bootstraps: [],
    readOnly: p.mounts ?? [],
  });
  return new Promise((resolve) => {
    execFile(file, args, { cwd: codeDir, timeout: 20_000, env: {} }, (err, _stdout, stderr) => {
      resolve(err ? (stderr.trim().split('\n').pop() || err.message).slice(0, 300) : null);
    });
  });
}
