import { Matcher } from '@amiwatch/event-pattern';
import * as A from '../../packages/event-pattern/dist/automaton.js';
import { makeEvent, makeRule, rng } from './workload.mjs';
const r = rng(42);
const EV = Array.from({ length: 4000 }, (_, i) => JSON.parse(JSON.stringify(makeEvent(r, i))));
const rr = rng(7); const m = new Matcher();
for (let i = 0; i < Number(process.env.N ?? 10000); i++) m.add(`r${i}`, makeRule(rr, i));
const time = (label, fn) => { let n = 0; const t = performance.now(); while (performance.now() - t < 600) for (let i = 0; i < 500; i++) fn(EV[n++ % 4000]); console.log(label, ((performance.now() - t) * 1000 / n).toFixed(2), 'us/event'); };
time('full', (e) => m.match(e));
const d = m.dispatch; m.dispatch = () => {}; time('read only (no dispatch, no walk)', (e) => m.match(e)); m.dispatch = d;
// dispatch only: replicate match without walk
time('read + dispatch', (e) => { const t = m.tree; t.begin(); import_read(e, t); const s = []; m.dispatch(s); });
import { readEventObject } from '../../packages/event-pattern/dist/event-reader.js';
function import_read(e, t) { readEventObject(e, t.root, t.sink); }
time('full again', (e) => m.match(e));
