// A/B of two builds of the engine (two copies of packages/event-pattern/dist), loaded into one
// process and measured in interleaved rounds, so that the machine's bursts hit both alike and the
// per-round ratio B/A is what a change is worth. Both must give the same answers first.
//
//   cp -r packages/event-pattern/dist /tmp/before   # build, copy; change, build, copy again
//   A=/tmp/before B=/tmp/after RULES=10000 ROUNDS=24 node bench/matcher/ab.mjs
//
// Modes: text (JSON text), object (pre-built objects cycled: cold), fresh (parsed just before).
if (!process.env.A || !process.env.B) {
  console.error(
    'usage: A=/path/to/dist-before B=/path/to/dist-after [RULES=10000] [ROUNDS=12] [MODES=text,object,fresh] node bench/matcher/ab.mjs',
  );
  process.exit(2);
}
const A = await import(process.env.A + '/index.js');
const B = await import(process.env.B + '/index.js');
import { makeEvent, makeRule, rng } from './workload.mjs';
const r = rng(42);
const EVENTS = Array.from({ length: 4000 }, (_, i) => makeEvent(r, i));
const TEXTS = EVENTS.map((e) => JSON.stringify(e));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const count = Number(process.env.RULES ?? 10000);
function build(lib) {
  const rr = rng(7);
  const m = new lib.Matcher();
  for (let i = 0; i < count; i++) m.add(`rule-${i}`, makeRule(rr, i));
  return m;
}
const ma = build(A),
  mb = build(B);
for (let i = 0; i < 4000; i++)
  if (ma.match(TEXTS[i]).sort().join() !== mb.match(TEXTS[i]).sort().join()) throw new Error('A and B disagree on event ' + i);
// Every match count is summed and printed, so the engine cannot drop the matching as unused work.
let checksum = 0;
function run(m, mode, ms = 250) {
  let n = 0,
    sink = 0;
  const c0 = process.cpuUsage();
  const end = performance.now() + ms;
  if (mode === 'fresh') {
    let spent = 0;
    const batch = new Array(64);
    while (performance.now() < end) {
      for (let j = 0; j < 64; j++) batch[j] = JSON.parse(TEXTS[(n + j) % 4000]);
      const t0 = performance.now();
      for (let j = 0; j < 64; j++) sink += m.match(batch[j]).length;
      spent += performance.now() - t0;
      n += 64;
    }
    checksum += sink;
    return n / (spent / 1000);
  }
  if (mode === 'text') while (performance.now() < end) for (let j = 0; j < 64; j++) sink += m.match(TEXTS[n++ % 4000]).length;
  else while (performance.now() < end) for (let j = 0; j < 64; j++) sink += m.match(EVENTS[n++ % 4000]).length;
  checksum += sink;
  const c = process.cpuUsage(c0);
  return n / ((c.user + c.system) / 1e6);
}
for (const mode of (process.env.MODES ?? 'text,object,fresh').split(',')) {
  const ra = [],
    rb = [],
    ratio = [];
  for (let k = 0; k < Number(process.env.ROUNDS ?? 12); k++) {
    const a = run(ma, mode),
      b = run(mb, mode);
    ra.push(a);
    rb.push(b);
    ratio.push(b / a);
  }
  console.log(`${count} rules ${mode}: A ${Math.round(median(ra))}  B ${Math.round(median(rb))}  B/A median ${median(ratio).toFixed(3)}`);
}
console.log(`(matches counted: ${checksum})`);
