#!/usr/bin/env node
// Writes a brotli (.br) and a gzip (.gz) copy beside each text file of the built console
// (dist/console), at the highest levels: the server sends them to browsers that accept them
// (src/server/compressed-assets.ts) without compressing on each request.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const dir = process.argv[2] ?? 'dist/console';
const text = new Set(['.html', '.js', '.css', '.svg', '.json', '.map']);
let files = 0;
for (const name of readdirSync(dir, { recursive: true }).map(String)) {
  if (!text.has(extname(name))) continue;
  const path = join(dir, name);
  const body = readFileSync(path);
  if (body.length < 512) continue;
  writeFileSync(
    `${path}.br`,
    brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }),
  );
  writeFileSync(`${path}.gz`, gzipSync(body, { level: 9 }));
  files++;
}
console.log(`compressed ${files} console files (brotli and gzip)`);
