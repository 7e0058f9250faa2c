import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readFileSync, readlinkSync } from 'node:fs';
import { basename, dirname } from 'node:path';

/**
 * Where a function process runs. A function is code from whoever holds a key; it must not read
 * what the server can (the credentials file with every account's secret, the database, the
 * server's environment through /proc/<pid>/environ), nor outlive the server.
 *  - `bubblewrap`: Debian's `bwrap` gives the process its own user, mount, PID, IPC and UTS
 *    namespaces: it sees /usr (the Node.js it runs), its code (read-only), a /tmp of its own,
 *    the few /etc files DNS and TLS need, and the network; no other file of the host, no other
 *    process. `--die-with-parent` ends the sandbox with the server, even on kill -9.
 *  - `user`: without bwrap, a server running as root runs functions as an unprivileged user
 *    (`amiwatch-fn` if it exists, else `nobody`) through util-linux's `setpriv`: /proc of the
 *    server and files only root may read stay closed, world-readable files do not.
 *  - `none`: the server's own user (development on one's own machine). Functions still die with
 *    the server (`setpriv --pdeathsig`), where setpriv exists.
 * In credentials mode a server whose best is `none` runs no functions (lambda-module.ts says so
 * at start).
 */
export type SandboxKind = 'bubblewrap' | 'user' | 'none';
export type SandboxChoice = SandboxKind | 'auto';

/** A function process to start: the program (the server's Node.js or a Python interpreter) and what it needs. */
export interface SandboxCommand {
  readonly execPath: string;
  /** Its arguments, naming the bootstrap by its path inside (`inside`). */
  readonly args: readonly string[];
  readonly codeDir: string;
  /** Host paths of the runtime bootstraps (bootstrap.mjs, bootstrap.py), bound read-only into /var/runtime in bubblewrap. */
  readonly bootstraps: readonly string[];
  /** Host directories the program reads besides /usr (the chosen Python's installation and site-packages): read-only at their own paths. */
  readonly readOnly?: readonly string[];
}

export interface Sandbox {
  readonly kind: SandboxKind;
  /** One line for the start log. */
  readonly description: string;
  /** The command that runs the program for a function whose code is in `codeDir`. */
  command(c: SandboxCommand): { file: string; args: string[] };
  /** Where the process sees its code and a bootstrap (Lambda's /var/task and /var/runtime in bubblewrap). */
  inside(paths: { codeDir: string; bootstrapPath: string }): { codeDir: string; bootstrapPath: string };
}

const asIs = (paths: { codeDir: string; bootstrapPath: string }) => paths;
/** Lambda's own paths: the code in /var/task, the runtime in /var/runtime. */
const TASK_ROOT = '/var/task';
const RUNTIME_DIR = '/var/runtime';

const BWRAP = ['/usr/bin/bwrap', '/usr/local/bin/bwrap'].find((p) => existsSync(p));
const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => existsSync(p));
/** What DNS resolution and TLS verification read; nothing else of /etc. */
const ETC = ['/etc/resolv.conf', '/etc/hosts', '/etc/nsswitch.conf', '/etc/ssl', '/etc/ca-certificates', '/etc/localtime'];

/** /usr, and the top-level directories that are (on merged-/usr Debian) symlinks into it. */
function systemMounts(): string[] {
  const args = ['--ro-bind', '/usr', '/usr'];
  for (const top of ['/bin', '/lib', '/lib64', '/sbin', '/lib32']) {
    let stat;
    try {
      stat = lstatSync(top);
    } catch {
      continue;
    }
    if (stat.isSymbolicLink()) args.push('--symlink', readlinkSync(top), top);
    else args.push('--ro-bind', top, top);
  }
  for (const path of ETC) args.push('--ro-bind-try', path, path);
  return args;
}

/**
 * The program's own directory and the directories it reads (a pyenv Python under /root, with the
 * site-packages its boto3 is in), read-only at their own paths; what is under /usr is there already
 * and a directory inside another listed one needs no bind of its own.
 */
function programMounts(execPath: string, readOnly: readonly string[]): string[] {
  const dirs = [...new Set([dirname(execPath), ...readOnly])].filter((d) => !d.startsWith('/usr/') && existsSync(d));
  const kept = dirs.filter((d) => !dirs.some((o) => o !== d && d.startsWith(`${o}/`)));
  return kept.flatMap((d) => ['--ro-bind', d, d]);
}

function bubblewrap(bwrap: string): Sandbox {
  const system = systemMounts();
  return {
    kind: 'bubblewrap',
    description: `functions run in a bubblewrap sandbox (${bwrap}): their code, their own /tmp, the network; not the server's files, environment or processes`,
    command({ execPath, args, codeDir, bootstraps, readOnly = [] }) {
      return {
        file: bwrap,
        args: [
          '--die-with-parent',
          '--new-session',
          '--unshare-all',
          '--share-net',
          '--cap-drop',
          'ALL',
          '--uid',
          '65534',
          '--gid',
          '65534',
          '--hostname',
          'sandbox',
          ...system,
          ...programMounts(execPath, readOnly),
          '--proc',
          '/proc',
          '--dev',
          '/dev',
          '--tmpfs',
          '/tmp',
          ...bootstraps.flatMap((b) => ['--ro-bind', b, `${RUNTIME_DIR}/${basename(b)}`]),
          '--ro-bind',
          codeDir,
          TASK_ROOT,
          '--chdir',
          TASK_ROOT,
          '--',
          execPath,
          ...args,
        ],
      };
    },
    inside: ({ bootstrapPath }) => ({ codeDir: TASK_ROOT, bootstrapPath: `${RUNTIME_DIR}/${basename(bootstrapPath)}` }),
  };
}

/** uid and gid of `amiwatch-fn`, else `nobody`, from /etc/passwd. */
function unprivilegedUser(): { name: string; uid: number; gid: number } | null {
  let passwd = '';
  try {
    passwd = readFileSync('/etc/passwd', 'utf8');
  } catch {
    return null;
  }
  const users = new Map(
    passwd
      .split('\n')
      .map((l) => l.split(':'))
      .filter((f) => f.length >= 4)
      .map((f) => [f[0]!, { name: f[0]!, uid: Number(f[2]), gid: Number(f[3]) }]),
  );
  return users.get('amiwatch-fn') ?? users.get('nobody') ?? null;
}

function setpriv(file: string, user: { name: string; uid: number; gid: number } | null): Sandbox {
  const who = user ? ['--reuid', String(user.uid), '--regid', String(user.gid), '--clear-groups'] : [];
  return {
    kind: user ? 'user' : 'none',
    description: user
      ? `functions run as the unprivileged user ${user.name} (no bubblewrap): files only the server's user may read and its /proc stay closed to them`
      : "functions run as the server's own user, unsandboxed (install bubblewrap to sandbox them)",
    command: ({ execPath, args }) => ({ file, args: [...who, '--pdeathsig', 'SIGKILL', '--', execPath, ...args] }),
    inside: asIs,
  };
}

const bare: Sandbox = {
  kind: 'none',
  description: "functions run as the server's own user, unsandboxed, and may outlive a killed server (install bubblewrap)",
  command: ({ execPath, args }) => ({ file: execPath, args: [...args] }),
  inside: asIs,
};

/** Whether bwrap can make its namespaces here (a container may forbid user namespaces). */
function bwrapWorks(bwrap: string): boolean {
  const probe = bubblewrap(bwrap).command({
    execPath: process.execPath,
    args: ['-e', '0'],
    codeDir: '/usr/share',
    bootstraps: [process.execPath],
  });
  return spawnSync(probe.file, probe.args, { stdio: 'ignore', timeout: 10_000 }).status === 0;
}

/** The strongest sandbox this machine offers, or the one asked for (an error when it is not available). */
export function detectSandbox(choice: SandboxChoice = 'auto'): Sandbox {
  const root = process.getuid?.() === 0;
  if (choice === 'auto' || choice === 'bubblewrap') {
    if (BWRAP && bwrapWorks(BWRAP)) return bubblewrap(BWRAP);
    if (choice === 'bubblewrap')
      throw new Error(
        '--function-sandbox bubblewrap: bwrap is not installed or cannot create namespaces here (apt-get install -y bubblewrap)',
      );
  }
  if (choice === 'auto' || choice === 'user') {
    const user = root ? unprivilegedUser() : null;
    if (SETPRIV && user) return setpriv(SETPRIV, user);
    if (choice === 'user')
      throw new Error('--function-sandbox user: needs a server running as root, setpriv (util-linux) and a user amiwatch-fn or nobody');
  }
  return SETPRIV ? setpriv(SETPRIV, null) : bare;
}
