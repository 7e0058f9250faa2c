import { execFile } from 'node:child_process';

/** A Python interpreter found on the machine, as the runtime uses it. */
export interface PythonInterpreter {
  /** Absolute path of the executable (sys.executable: pyenv shims resolved). */
  readonly path: string;
  /** `3.11.7` */
  readonly version: string;
  /** `3.11` */
  readonly minor: string;
  /** boto3's version importable there, or null. */
  readonly boto3: string | null;
  /**
   * Where it reads from: its prefixes (a virtualenv's and its base's), its executable's directory
   * and the site-packages holding boto3, so a sandbox can bind exactly these (sandbox.ts).
   */
  readonly mounts?: readonly string[];
}

/** What `findPythons` found: the usable interpreters (best first) and a line for the server's log. */
export interface PythonInterpreters {
  readonly interpreters: readonly PythonInterpreter[];
  readonly summary: string;
}

/** Names tried on PATH when no interpreter is configured: newest first. */
const CANDIDATES = ['python3.13', 'python3.12', 'python3.11', 'python3'];

/**
 * boto3 reads AWS_ENDPOINT_URL (how a function's SDK is pointed at amiwatch) from 1.28.57 on
 * ("Service-specific endpoints", botocore 1.31.57); an older one would call the real AWS.
 */
const ENDPOINT_URL_BOTO3 = [1, 28, 57];

// sys.prefix tells interpreters apart: `python3` and `python3.11` are often one (same prefix),
// while a virtualenv's python links to its base interpreter but has its own prefix and packages.
const PROBE = [
  'import sys, json, os',
  'd = [sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix, os.path.dirname(os.path.realpath(sys.executable))]',
  'try:',
  ' import boto3, botocore; b = boto3.__version__',
  ' d += [os.path.dirname(os.path.dirname(os.path.realpath(m.__file__))) for m in (boto3, botocore)]',
  'except Exception:',
  ' b = None',
  'print(json.dumps({"path": sys.executable, "prefix": sys.prefix, "version": "%d.%d.%d" % sys.version_info[:3], "boto3": b, "mounts": sorted(set(d))}))',
].join('\n');

function probe(command: string): Promise<(PythonInterpreter & { prefix: string }) | null> {
  return new Promise((resolve) => {
    execFile(command, ['-c', PROBE], { timeout: 15_000 }, (err, stdout) => {
      if (err) return resolve(null);
      try {
        const p = JSON.parse(stdout.trim()) as { path: string; prefix: string; version: string; boto3: string | null; mounts: string[] };
        resolve({
          path: p.path,
          prefix: p.prefix,
          version: p.version,
          boto3: p.boto3,
          mounts: p.mounts,
          minor: p.version.split('.').slice(0, 2).join('.'),
        });
      } catch {
        resolve(null);
      }
    });
  });
}

export function boto3Current(version: string | null): boolean {
  if (version === null) return false;
  const v = version.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((v[i] ?? 0) !== ENDPOINT_URL_BOTO3[i]) return (v[i] ?? 0) > ENDPOINT_URL_BOTO3[i]!;
  return true;
}

/**
 * Finds the interpreters Python functions can run on: the configured one (`--python`), or the
 * newest of python3.13/3.12/3.11/python3 on PATH. Only interpreters whose boto3 reads
 * AWS_ENDPOINT_URL are used (as on Lambda, boto3 is there for the function, and it must call
 * amiwatch); the summary says why when none qualifies.
 */
export async function findPythons(configured: string | null): Promise<PythonInterpreters> {
  const found = (await Promise.all((configured ? [configured] : CANDIDATES).map(probe))).filter((p) => p !== null);
  const unique = [
    ...new Map(
      found.map((p) => [
        `${p.prefix}\u0000${p.version}`,
        { path: p.path, version: p.version, minor: p.minor, boto3: p.boto3, mounts: p.mounts ?? [] },
      ]),
    ).values(),
  ];
  const usable = unique.filter((p) => boto3Current(p.boto3)).sort((a, b) => compareVersions(b.version, a.version));
  if (usable.length > 0) {
    return {
      interpreters: usable,
      summary: `python functions run on ${usable.map((p) => `Python ${p.version} (${p.path}, boto3 ${p.boto3})`).join(', ')}`,
    };
  }
  const tried = configured ? `--python ${configured}` : CANDIDATES.join(', ');
  const seen = unique.map((p) => `Python ${p.version} at ${p.path} has ${p.boto3 ? `boto3 ${p.boto3}` : 'no boto3'}`).join('; ');
  return {
    interpreters: [],
    summary:
      `python functions cannot run: no Python 3 with boto3 >= ${ENDPOINT_URL_BOTO3.join('.')} found (tried ${tried}${seen ? `; ${seen}` : ''}). ` +
      'Install one (pip install boto3) and point --python / AMIWATCH_PYTHON at it.',
  };
}

/**
 * The interpreter for a runtime (`python3.12`): the same minor version if found, otherwise the
 * nearest one (by minor number, the newer on a tie), with the note the function's log carries.
 */
export function interpreterFor(
  runtime: string,
  pythons: readonly PythonInterpreter[],
): { interpreter: PythonInterpreter; note: string | null } | null {
  const wanted = runtime.replace(/^python/, '');
  const exact = pythons.find((p) => p.minor === wanted);
  if (exact) return { interpreter: exact, note: null };
  const minorOf = (v: string) => Number(v.split('.')[1] ?? 0);
  const nearest = [...pythons].sort(
    (a, b) =>
      Math.abs(minorOf(a.minor) - minorOf(wanted)) - Math.abs(minorOf(b.minor) - minorOf(wanted)) || compareVersions(b.version, a.version),
  )[0];
  if (!nearest) return null;
  return {
    interpreter: nearest,
    note: `amiwatch: ${runtime} requested; Python ${wanted} is not installed here, running on Python ${nearest.version} (${nearest.path}), the nearest installed\n`,
  };
}

function compareVersions(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}
