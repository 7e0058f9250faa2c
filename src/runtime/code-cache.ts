import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import AdmZip from 'adm-zip';
import { BOOTSTRAP_SOURCE } from './bootstrap-source.js';
import { PYTHON_BOOTSTRAP_SOURCE } from './python-bootstrap-source.js';

/**
 * Function code on disk, where the child processes import it: each zip extracted once into a
 * directory named by its SHA-256, so a warm process and a new one see the same files and an
 * update never rewrites code a running process has loaded. The zip itself stays in the store
 * (the truth); this directory is a cache, made in the data directory or a temporary one.
 */
export class CodeCache {
  private readonly extracting = new Map<string, Promise<string>>();

  private constructor(
    readonly root: string,
    private readonly owned: boolean,
  ) {}

  /** `root` null: a fresh temporary directory, removed on close. */
  static async open(root: string | null): Promise<CodeCache> {
    const dir = root ?? (await mkdtemp(join(tmpdir(), 'amiwatch-lambda-')));
    // Functions run as another user may pass through (not list) the temporary root to their own
    // code, whose directory name is its SHA-256 (sandbox.ts, `user`).
    if (root === null) await chmod(dir, 0o711);
    await mkdir(join(dir, 'code'), { recursive: true, mode: 0o711 });
    const cache = new CodeCache(dir, root === null);
    await writeFile(cache.bootstrapPath, BOOTSTRAP_SOURCE);
    await writeFile(cache.pythonBootstrapPath, PYTHON_BOOTSTRAP_SOURCE);
    return cache;
  }

  get bootstrapPath(): string {
    return join(this.root, 'bootstrap.mjs');
  }

  get pythonBootstrapPath(): string {
    return join(this.root, 'bootstrap.py');
  }

  /** The directory holding the code with this SHA-256, extracting the zip the first time. */
  directory(codeSha256: string, loadCode: () => Promise<Buffer>): Promise<string> {
    const dir = join(this.root, 'code', Buffer.from(codeSha256, 'base64').toString('hex'));
    let pending = this.extracting.get(dir);
    if (!pending) {
      pending = existsSync(dir) ? Promise.resolve(dir) : this.extract(dir, loadCode);
      this.extracting.set(dir, pending);
      pending.catch(() => this.extracting.delete(dir));
    }
    return pending;
  }

  private async extract(dir: string, loadCode: () => Promise<Buffer>): Promise<string> {
    const zip = new AdmZip(await loadCode());
    // Extracted beside the final place, then renamed: a crash never leaves half a package there.
    const staging = await mkdtemp(`${dir}.tmp-`);
    for (const entry of zip.getEntries()) {
      const target = resolve(staging, entry.entryName);
      if (!target.startsWith(staging + sep)) throw new Error(`zip entry ${entry.entryName} points outside the package`);
      if (entry.isDirectory) await mkdir(target, { recursive: true });
      else {
        await mkdir(dirname(target), { recursive: true });
        await writeFile(target, entry.getData());
      }
    }
    // mkdtemp made it 0700: readable by the function's own user too, whichever it runs as.
    await chmod(staging, 0o755);
    await rename(staging, dir).catch(async (err: NodeJS.ErrnoException) => {
      // Another server process extracted the same code first: theirs is identical.
      await rm(staging, { recursive: true, force: true });
      if (!existsSync(dir)) throw err;
    });
    return dir;
  }

  async close(): Promise<void> {
    if (this.owned) await rm(this.root, { recursive: true, force: true });
  }
}
