import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { captureSeeds, syntheticSeeds } from './seeds.js';
import { startFuzzServer } from './servers.js';
import { fuzzWire, type Finding, type FuzzReport } from './wire-fuzz.js';

/**
 * bench/fuzz: the wire fuzz suite at full size (`npm run bench:fuzz`; FUZZ_RUNS requests per
 * server, default 5000; FUZZ_SEED, default random, printed so a run can be repeated). The same
 * engine runs in `npm test` at 150 requests per server (test/wire/wire-fuzz.test.ts). Prints,
 * per server (open: no credentials; verified: a credentials file), the statuses seen and the
 * crashes, 5xx and non-AWS-shaped errors found, with the first requests that found them; exits
 * 1 when anything was found.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 5000);
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
// Compiled to bench/.build/bench/fuzz/run.js: the repo root is four folders up.
const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../..');
const seeds = [...captureSeeds(resolve(root, 'test/fixtures/wire')), ...syntheticSeeds];

const show = (kind: string, list: Finding[]) =>
  list
    .slice(0, 3)
    .map((f) => `    ${kind}: ${f.why}\n      ${JSON.stringify(f.request)}\n      → ${f.status ?? '-'} ${(f.body ?? '').slice(0, 200)}`);

let found = 0;
console.log(
  `wire fuzz: ${RUNS} requests per server, seed ${SEED}, ${seeds.length} seeds (${[...new Set(seeds.map((s) => s.protocol))].join(', ')})`,
);
for (const mode of ['open', 'verified'] as const) {
  const server = await startFuzzServer(mode);
  const started = performance.now();
  let report: FuzzReport;
  try {
    report = await fuzzWire(server.target, seeds, RUNS, mode === 'open' ? SEED : SEED + 1);
  } finally {
    await server.close();
  }
  const seconds = (performance.now() - started) / 1000;
  const statuses = Object.entries(report.statuses)
    .map(([s, n]) => `${s}×${n}`)
    .join(' ');
  console.log(`${mode}: ${report.sent} requests in ${seconds.toFixed(1)} s (${Math.round(report.sent / seconds)}/s); statuses ${statuses}`);
  console.log(`  crashes ${report.crashes.length} · 5xx ${report.serverErrors.length} · not AWS-shaped ${report.notAwsShaped.length}`);
  for (const line of [...show('crash', report.crashes), ...show('5xx', report.serverErrors), ...show('shape', report.notAwsShaped)])
    console.log(line);
  found += report.crashes.length + report.serverErrors.length + report.notAwsShaped.length;
}
process.exit(found === 0 ? 0 : 1);
