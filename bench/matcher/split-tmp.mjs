import { Matcher } from '@amiwatch/event-pattern';
import { makeEvent, makeRule, rng } from './workload.mjs';
const r = rng(42);
const EV = Array.from({ length: 2000 }, (_, i) => JSON.parse(JSON.stringify(makeEvent(r, i))));
const TX = EV.map((e) => JSON.stringify(e));
for (const N of [1, 10000]) {
const rr = rng(7); const m = new Matcher();
for (let i = 0; i < N; i++) m.add(`r${i}`, makeRule(rr, i));
for (const [label, SRC] of [['obj', EV], ['text', TX]]) for (const k of [1, 2000]) {
  let n = 0; const t = performance.now(); while (performance.now() - t < 400) for (let i = 0; i < 500; i++) m.match(SRC[n++ % k]);
  console.log(N, 'rules', label, 'cycling', k, ((performance.now() - t) * 1000 / n).toFixed(2), 'us/event');
}}
