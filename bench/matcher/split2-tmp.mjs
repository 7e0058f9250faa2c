import { Matcher } from '@amiwatch/event-pattern';
import { makeEvent, makeRule, rng } from './workload.mjs';
const r = rng(42);
const EV = Array.from({ length: 2000 }, (_, i) => JSON.parse(JSON.stringify(makeEvent(r, i))));
const rr = rng(7); const m = new Matcher();
for (let i = 0; i < 10000; i++) m.add(`r${i}`, makeRule(rr, i));
m.match(EV[0]);
const sig = [...m.signatures.values()][1];
const leaves = sig.paths.map(p => m.tree.leavesAt(p)?.[0]);
let n = 0; let t = performance.now(); let found = 0;
while (performance.now() - t < 300) for (let i = 0; i < 1000; i++) { if (sig.lookup(leaves)) found++; n++; }
console.log('lookup', ((performance.now() - t) * 1e6 / n).toFixed(0), 'ns', found);
t = performance.now(); n = 0;
while (performance.now() - t < 300) for (let i = 0; i < 1000; i++) { m.dispatch([]); n++; }
console.log('dispatch', ((performance.now() - t) * 1e3 / n).toFixed(2), 'us');
