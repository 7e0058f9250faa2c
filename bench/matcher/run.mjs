// Matcher benchmark (npm run bench:matcher). For 1, 100, 1,000 and 10,000 rules: events/s with
// JSON text in and with parsed objects in, against a naive rule loop (parse once, then test
// every rule in turn) measured in the same run; memory per rule set. Writes
// bench/results/matcher.json.
//
// This machine is shared and the host throttles it in bursts, so a rule count measured a minute
// after another can see a different machine. Every rule set is therefore built first and the
// rounds are interleaved — one round of each rule count and input kind in turn — and the ratio to
// the 1-rule rate is taken within each round, then the median over rounds.
import { mkdirSync, writeFileSync } from 'node:fs';
import { Matcher } from '@amiwatch/event-pattern';
import { compilePattern } from '../../packages/event-pattern/dist/compile-pattern.js';
import { allPathsSink, branchMatches } from '../../packages/event-pattern/dist/evaluate.js';
import { readEventObject } from '../../packages/event-pattern/dist/event-reader.js';
import { makeEvent, makeRule, rng } from './workload.mjs';

const RULE_COUNTS = (process.env.RULES ?? '1,100,1000,10000').split(',').map(Number);
const ROUNDS = Number(process.env.ROUNDS ?? 9);
const ROUND_MS = Number(process.env.ROUND_MS ?? 300);
/** Events matched per timing step; also how many freshly parsed objects are made at a time. */
const BATCH = 64;

const r = rng(42);
const EVENTS = Array.from({ length: 4000 }, (_, i) => makeEvent(r, i));
const TEXTS = EVENTS.map((e) => JSON.stringify(e));
const avgBytes = TEXTS.reduce((n, t) => n + Buffer.byteLength(t), 0) / TEXTS.length;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
let sink = 0;

/** Events per CPU second of `m.match` over the event texts (CPU time: descheduling does not count). */
function textRate(m) {
  let n = 0;
  const cpu0 = process.cpuUsage();
  const end = performance.now() + ROUND_MS;
  while (performance.now() < end) for (let j = 0; j < BATCH; j++) sink += m.match(TEXTS[n++ % TEXTS.length]).length;
  const cpu = process.cpuUsage(cpu0);
  return n / ((cpu.user + cpu.system) / 1e6);
}

/**
 * The same over the 4,000 objects built once at the start and cycled: ~12 MB of objects, so
 * every event object is read from main memory — the worst case for an object, which no stream
 * that parses or builds each event just before matching it sees.
 */
function coldObjectRate(m) {
  let n = 0;
  const cpu0 = process.cpuUsage();
  const end = performance.now() + ROUND_MS;
  while (performance.now() < end) for (let j = 0; j < BATCH; j++) sink += m.match(EVENTS[n++ % EVENTS.length]).length;
  const cpu = process.cpuUsage(cpu0);
  return n / ((cpu.user + cpu.system) / 1e6);
}

/**
 * Objects as a stream has them: each batch of events is parsed with `JSON.parse` just before
 * it is matched, and only the matching is timed (wall time per batch: CPU-time readings are too
 * coarse for 64 events; a descheduled batch only makes this figure lower).
 */
function freshObjectRate(m) {
  let n = 0;
  let spent = 0;
  const batch = new Array(BATCH);
  const end = performance.now() + ROUND_MS;
  while (performance.now() < end) {
    for (let j = 0; j < BATCH; j++) batch[j] = JSON.parse(TEXTS[(n + j) % TEXTS.length]);
    const t0 = performance.now();
    for (let j = 0; j < BATCH; j++) sink += m.match(batch[j]).length;
    spent += performance.now() - t0;
    n += BATCH;
  }
  return n / (spent / 1000);
}

/** Median events per CPU second of `fn(i)` over `rounds` rounds (the naive loop's own timing). */
function rate(fn, rounds, roundMs) {
  const rates = [];
  for (let k = 0; k < rounds; k++) {
    let n = 0;
    const cpu0 = process.cpuUsage();
    const end = performance.now() + roundMs;
    while (performance.now() < end) for (let j = 0; j < BATCH; j++) sink += fn(n++ % EVENTS.length);
    const cpu = process.cpuUsage(cpu0);
    rates.push(n / ((cpu.user + cpu.system) / 1e6));
  }
  return median(rates);
}

function heapUsed() {
  global.gc?.();
  global.gc?.();
  return process.memoryUsage().heapUsed;
}

/** The naive loop a JavaScript user would write: parse the event once, test each rule in turn. */
function naiveMatcher(rules) {
  const compiled = rules.map((p) => compilePattern(JSON.stringify(p)));
  return (text) => {
    const table = new Map();
    readEventObject(JSON.parse(text), '', allPathsSink(table));
    let n = 0;
    for (const branches of compiled) if (branches.some((b) => branchMatches(b, table))) n++;
    return n;
  };
}

// Build every rule set (and measure its heap and build time) before any timing.
const sets = RULE_COUNTS.map((count) => {
  const rr = rng(7);
  const rules = Array.from({ length: count }, (_, i) => makeRule(rr, i));
  const before = heapUsed();
  const t0 = performance.now();
  const m = new Matcher();
  rules.forEach((p, i) => m.add(`rule-${i}`, p));
  const buildMs = performance.now() - t0;
  const heapMB = (heapUsed() - before) / 1e6;
  let matched = 0;
  for (let i = 0; i < EVENTS.length; i++) matched += m.match(TEXTS[i]).length;
  return { count, rules, m, buildMs, heapMB, matchesPerEvent: matched / EVENTS.length, text: [], cold: [], fresh: [] };
});

for (let k = 0; k < ROUNDS; k++) {
  for (const s of sets) s.text.push(textRate(s.m));
  for (const s of sets) s.cold.push(coldObjectRate(s.m));
  for (const s of sets) s.fresh.push(freshObjectRate(s.m));
  console.error(`round ${k + 1}/${ROUNDS} done`);
}

const one = sets.find((s) => s.count === 1);
/** Median over rounds of (this set's rate ÷ the 1-rule rate in the same round). */
const ratioToOne = (s, kind) => (one ? median(s[kind].map((x, k) => x / one[kind][k])) : NaN);

const rows = sets.map((s) => {
  const naive = naiveMatcher(s.rules);
  const naivePerSec = rate((i) => naive(TEXTS[i]), 5, s.count >= 1000 ? 600 : 300);
  const textPerSec = median(s.text);
  return {
    rules: s.count,
    textPerSec,
    coldObjectPerSec: median(s.cold),
    freshObjectPerSec: median(s.fresh),
    naivePerSec,
    textVsNaive: textPerSec / naivePerSec,
    textVsOneRule: ratioToOne(s, 'text'),
    coldObjectVsOneRule: ratioToOne(s, 'cold'),
    freshObjectVsOneRule: ratioToOne(s, 'fresh'),
    buildMs: s.buildMs,
    heapMB: s.heapMB,
    matchesPerEvent: s.matchesPerEvent,
  };
});

const fmt = (n) => Math.round(n).toLocaleString('en-US');
const x2 = (n) => (Number.isFinite(n) ? n.toFixed(2) : '-');
console.log(
  `events: ${EVENTS.length} distinct, ${Math.round(avgBytes)} bytes of JSON on average; events per second, medians of ${ROUNDS} interleaved rounds of ${ROUND_MS} ms; "÷ 1 rule": median of the per-round ratios`,
);
console.log(
  '| rules | JSON text in | ÷ 1 rule | objects, parsed just before | ÷ 1 rule | objects, pre-built (cold) | ÷ 1 rule | naive loop | text ÷ naive | build | heap | matches/event |',
);
console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const x of rows) {
  console.log(
    `| ${fmt(x.rules)} | ${fmt(x.textPerSec)} | ${x2(x.textVsOneRule)} | ${fmt(x.freshObjectPerSec)} | ${x2(x.freshObjectVsOneRule)} | ${fmt(x.coldObjectPerSec)} | ${x2(x.coldObjectVsOneRule)} | ${fmt(x.naivePerSec)} | ${x.textVsNaive.toFixed(0)}× | ${fmt(x.buildMs)} ms | ${x.heapMB.toFixed(1)} MB | ${x.matchesPerEvent.toFixed(2)} |`,
  );
}
if (sink < 0) console.log(sink);
mkdirSync(new URL('../results/', import.meta.url), { recursive: true });
writeFileSync(
  new URL('../results/matcher.json', import.meta.url),
  JSON.stringify({ date: new Date().toISOString(), avgBytes, rounds: ROUNDS, roundMs: ROUND_MS, rows }, null, 2),
);
