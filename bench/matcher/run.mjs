// Matcher benchmark (npm run bench:matcher). For 1, 100, 1,000 and 10,000 rules: events/s with
// JSON text in and with parsed objects in, against a naive rule loop (parse once, then test
// every rule in turn) measured in the same run; memory per rule set. Medians of several rounds,
// since this machine is shared and noisy. Writes bench/results/matcher.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { Matcher } from '@amiwatch/event-pattern';
import { compilePattern } from '../../packages/event-pattern/dist/compile-pattern.js';
import { allPathsSink, branchMatches } from '../../packages/event-pattern/dist/evaluate.js';
import { readEventObject } from '../../packages/event-pattern/dist/event-reader.js';
import { makeEvent, makeRule, rng } from './workload.mjs';

const RULE_COUNTS = (process.env.RULES ?? '1,100,1000,10000').split(',').map(Number);
const ROUNDS = Number(process.env.ROUNDS ?? 7);
const ROUND_MS = Number(process.env.ROUND_MS ?? 400);

const r = rng(42);
const EVENTS = Array.from({ length: 4000 }, (_, i) => makeEvent(r, i));
const TEXTS = EVENTS.map((e) => JSON.stringify(e));
const avgBytes = TEXTS.reduce((n, t) => n + Buffer.byteLength(t), 0) / TEXTS.length;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Runs `fn(i)` over the events for ROUND_MS, ROUNDS times; returns the median events per CPU
 * second. CPU time (not wall time) keeps other processes on this shared machine from counting
 * against us while we are descheduled.
 */
function rate(fn, rounds = ROUNDS, roundMs = ROUND_MS) {
  const rates = [];
  let sink = 0;
  for (let k = 0; k < rounds; k++) {
    let n = 0;
    const wallEnd = performance.now() + roundMs;
    const cpu0 = process.cpuUsage();
    while (performance.now() < wallEnd) {
      for (let j = 0; j < 64; j++) sink += fn(n++ % EVENTS.length);
    }
    const cpu = process.cpuUsage(cpu0);
    rates.push(n / ((cpu.user + cpu.system) / 1e6));
  }
  if (sink < 0) console.log(sink);
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

const rows = [];
for (const count of RULE_COUNTS) {
  const rr = rng(7);
  const rules = Array.from({ length: count }, (_, i) => makeRule(rr, i));
  const before = heapUsed();
  const t0 = performance.now();
  const m = new Matcher();
  rules.forEach((p, i) => m.add(`rule-${i}`, p));
  const buildMs = performance.now() - t0;
  const bytes = heapUsed() - before;
  let matched = 0;
  for (let i = 0; i < EVENTS.length; i++) matched += m.match(TEXTS[i]).length;
  const text = rate((i) => m.match(TEXTS[i]).length);
  const object = rate((i) => m.match(EVENTS[i]).length);
  const naive = naiveMatcher(rules);
  const naiveRate = rate((i) => naive(TEXTS[i]), ROUNDS, count >= 1000 ? ROUND_MS * 2 : ROUND_MS);
  rows.push({ rules: count, textPerSec: text, objectPerSec: object, naivePerSec: naiveRate, textVsNaive: text / naiveRate, buildMs, heapMB: bytes / 1e6, matchesPerEvent: matched / EVENTS.length });
  console.error(`rules=${count} done`);
}

const one = rows.find((x) => x.rules === 1);
const fmt = (n) => Math.round(n).toLocaleString('en-US');
console.log(`events: ${EVENTS.length} distinct, ${Math.round(avgBytes)} bytes of JSON on average; events per CPU second, medians of ${ROUNDS} rounds of ${ROUND_MS} ms`);
console.log('| rules | JSON text in (events/s) | parsed objects in (events/s) | naive loop (events/s) | text ÷ naive | text rate ÷ rate at 1 rule | build | heap | matches/event |');
console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
for (const x of rows) {
  console.log(`| ${fmt(x.rules)} | ${fmt(x.textPerSec)} | ${fmt(x.objectPerSec)} | ${fmt(x.naivePerSec)} | ${x.textVsNaive.toFixed(1)}× | ${one ? (x.textPerSec / one.textPerSec).toFixed(2) : '-'} | ${fmt(x.buildMs)} ms | ${x.heapMB.toFixed(1)} MB | ${x.matchesPerEvent.toFixed(2)} |`);
}
mkdirSync(new URL('../results/', import.meta.url), { recursive: true });
writeFileSync(new URL('../results/matcher.json', import.meta.url), JSON.stringify({ date: new Date().toISOString(), avgBytes, rows }, null, 2));
