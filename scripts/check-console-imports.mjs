#!/usr/bin/env node
// The console is a thin client (docs/architecture.md): it reaches the server only over HTTP, so
// its sources may import each other, npm packages and the dependency-free workspace packages
// below, never a path that leaves console/. dependency-cruiser's swc parser reads .tsx as plain
// TS, hence this check.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const root = resolve('console');
/** Workspace packages that import nothing of ours (.dependency-cruiser.cjs keeps them so). */
const shared = new Set(['@amiwatch/event-pattern', '@amiwatch/shared']);
const files = readdirSync(join(root, 'src'), { recursive: true })
  .map((f) => join(root, 'src', String(f)))
  .filter((f) => /\.(ts|tsx)$/.test(f));
const bad = [];
for (const file of files) {
  for (const m of readFileSync(file, 'utf8').matchAll(
    /(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]|import\s+['"]([^'"]+)['"]/g,
  )) {
    const spec = m[1] ?? m[2] ?? m[3];
    const target = spec.startsWith('.') ? resolve(dirname(file), spec) : null;
    if (target && relative(root, target).startsWith('..')) bad.push(`${relative('.', file)}: imports ${spec} (outside console/)`);
    if (!target && /^(src|amiwatch)\//.test(spec)) bad.push(`${relative('.', file)}: imports ${spec}`);
    if (!target && spec.startsWith('@amiwatch/') && !shared.has(spec))
      bad.push(`${relative('.', file)}: imports ${spec} (not a shared package)`);
  }
}
if (bad.length > 0) {
  console.error(`console-is-a-thin-client: ${bad.length} violation(s)\n${bad.join('\n')}`);
  process.exit(1);
}
console.log(`console imports ok (${files.length} files)`);
