import { Matcher } from '@amiwatch/event-pattern';
import { makeEvent, makeRule, rng } from './workload.mjs';
const r = rng(42);
const EV = Array.from({ length: 2000 }, (_, i) => JSON.parse(JSON.stringify(makeEvent(r, i))));
const rr = rng(7); const m = new Matcher();
for (let i = 0; i < 10000; i++) m.add(`r${i}`, makeRule(rr, i));
let starts = 0, c = 0;
let n = 0; const t = performance.now(); while (performance.now() - t < 3000) for (let i = 0; i < 500; i++) m.match(EV[n++ % 2000]);
