import { Matcher } from '@amiwatch/event-pattern';
import { makeEvent, makeRule, rng } from './workload.mjs';
const r = rng(42);
const TX = Array.from({ length: 4000 }, (_, i) => JSON.stringify(makeEvent(r, i)));
const m = new Matcher(); m.add('x', { source: ['aws.ec2'] });
const time = (label, fn) => { let n = 0; const t = performance.now(); while (performance.now() - t < 700) for (let i = 0; i < 500; i++) fn(TX[n++ % 4000]); console.log(label, ((performance.now() - t) * 1000 / n).toFixed(2), 'us/event'); };
for (let k = 0; k < 2; k++) {
time('JSON.parse', (t) => JSON.parse(t));
time('scanner match', (t) => m.match(t));
time('parse + object match', (t) => m.match(JSON.parse(t)));
}
