import { readFile, stat } from 'node:fs/promises';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

/**
 * Compressed bodies for the console's text files. `npm run build` writes `.br` and `.gz` beside
 * each asset at the highest levels (scripts/compress-console.mjs); a file without them (a
 * console built another way, index.html rewritten by hand) is compressed on first request and
 * kept in memory, keyed by its size and modification time so that a rebuilt file is redone.
 */
export type Encoding = 'br' | 'gzip';

const compressible = new Set(['.html', '.js', '.css', '.svg', '.json', '.map', '.txt']);
const suffix: Readonly<Record<Encoding, string>> = { br: '.br', gzip: '.gz' };
const compress: Readonly<Record<Encoding, (b: Buffer) => Promise<Buffer>>> = {
  br: (b) =>
    promisify(brotliCompress)(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 9, [constants.BROTLI_PARAM_SIZE_HINT]: b.length } }),
  gzip: (b) => promisify(gzip)(b, { level: 9 }),
};

/** Bodies under this size are sent as they are: the headers would eat the saving. */
const MIN_SIZE = 512;
const cache = new Map<string, Buffer>();
const CACHE_LIMIT = 64;

/** The best encoding the client accepts (`Accept-Encoding`), brotli first; q=0 refuses. */
export function chooseEncoding(accept: string | undefined): Encoding | null {
  const offered = new Map<string, number>();
  for (const part of (accept ?? '').split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    offered.set(name.trim(), q ? Number(q.slice(2)) : 1);
  }
  const accepts = (name: string) => (offered.get(name) ?? offered.get('*') ?? 0) > 0;
  if (accepts('br')) return 'br';
  if (accepts('gzip')) return 'gzip';
  return null;
}

/** The compressed body of `file` (read as `body`) in `encoding`, or null when not worth it. */
export async function compressedBody(file: string, ext: string, body: Buffer, encoding: Encoding): Promise<Buffer | null> {
  if (!compressible.has(ext) || body.length < MIN_SIZE) return null;
  try {
    const pre = `${file}${suffix[encoding]}`;
    const [original, packed] = await Promise.all([stat(file), stat(pre)]);
    // A precompressed file older than its source is stale (a rebuild that skipped compression).
    if (packed.mtimeMs >= original.mtimeMs) return await readFile(pre);
  } catch {
    // no precompressed file: compress below
  }
  const { mtimeMs } = await stat(file);
  const key = `${file}\0${encoding}\0${body.length}\0${mtimeMs}`;
  let out = cache.get(key);
  if (!out) {
    out = await compress[encoding](body);
    if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
    cache.set(key, out);
  }
  return out;
}
