import { Matcher } from '@amiwatch/event-pattern';
import { makeEvent, makeRule, rng } from './workload.mjs';
const r = rng(42);
const EV = Array.from({ length: 4000 }, (_, i) => JSON.parse(JSON.stringify(makeEvent(r, i))));
const rr = rng(7); const m = new Matcher();
for (let i = 0; i < Number(process.env.N ?? 10000); i++) m.add(`r${i}`, makeRule(rr, i));
let n = 0; const t = performance.now(); while (performance.now() - t < 4000) for (let i = 0; i < 500; i++) m.match(EV[n++ % 4000]);
console.log((performance.now() - t) * 1000 / n);
