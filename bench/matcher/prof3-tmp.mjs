import { Matcher } from '@amiwatch/event-pattern';
import { makeEvent, rng } from './workload.mjs';
const r = rng(42);
const TX = Array.from({ length: 4000 }, (_, i) => JSON.stringify(makeEvent(r, i)));
const m = new Matcher(); m.add('x', { source: ['aws.ec2'], 'detail-type': ['EC2 AMI State Change'], detail: { State: ['available'] } });
let n = 0; const t = performance.now(); while (performance.now() - t < 3000) for (let i = 0; i < 500; i++) m.match(TX[n++ % 4000]);
console.log((performance.now() - t) * 1000 / n);
