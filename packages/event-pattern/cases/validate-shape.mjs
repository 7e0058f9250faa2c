#!/usr/bin/env node
// Checks every case file in this folder against the format described in README.md.
// Plain Node, no dependencies: `node packages/event-pattern/cases/validate-shape.mjs`.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = dirname(fileURLToPath(import.meta.url));
const problems = [];
let total = 0;

const has = (o, k) => Object.prototype.hasOwnProperty.call(o, k);
const ALLOWED = new Set(['name', 'pattern', 'patternText', 'event', 'eventText', 'match', 'error', 'note', 'decision']);

for (const fileName of readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()) {
  const where = (msg) => problems.push(`${fileName}: ${msg}`);
  let doc;
  try {
    doc = JSON.parse(readFileSync(join(dir, fileName), 'utf8'));
  } catch (e) {
    where(`not valid JSON (${e.message})`);
    continue;
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    where('top level must be an object');
    continue;
  }
  for (const k of Object.keys(doc)) if (!['about', 'source', 'cases'].includes(k)) where(`unexpected top-level key "${k}"`);
  if (typeof doc.about !== 'string' || !doc.about) where('"about" must be a non-empty string');
  if (typeof doc.source !== 'string' || !doc.source) where('"source" must be a non-empty string');
  if (!Array.isArray(doc.cases) || doc.cases.length === 0) {
    where('"cases" must be a non-empty array');
    continue;
  }
  const names = new Set();
  doc.cases.forEach((c, i) => {
    const at = (msg) => where(`case #${i}${c && typeof c.name === 'string' ? ` "${c.name}"` : ''}: ${msg}`);
    if (typeof c !== 'object' || c === null || Array.isArray(c)) {
      at('must be an object');
      return;
    }
    total++;
    for (const k of Object.keys(c)) if (!ALLOWED.has(k)) at(`unexpected key "${k}"`);
    if (typeof c.name !== 'string' || !c.name.trim()) at('"name" must be a non-empty string');
    else if (names.has(c.name)) at('duplicate name in this file');
    else names.add(c.name);
    if (has(c, 'pattern') === has(c, 'patternText')) at('needs exactly one of "pattern" / "patternText"');
    if (has(c, 'patternText') && typeof c.patternText !== 'string') at('"patternText" must be a string');
    if (has(c, 'pattern') && c.pattern === undefined) at('"pattern" must be a JSON value');
    if (has(c, 'error') === has(c, 'match')) at('needs exactly one of "error" / "match"');
    if (has(c, 'error')) {
      if (typeof c.error !== 'string' || !c.error) at('"error" must be a non-empty string');
      else if (c.error.startsWith('Event pattern is not valid'))
        at('"error" must not include the "Event pattern is not valid. Reason: " prefix');
      if (has(c, 'event') || has(c, 'eventText')) at('an error case must not carry an event');
    }
    if (has(c, 'match')) {
      if (typeof c.match !== 'boolean') at('"match" must be true or false');
      if (has(c, 'event') === has(c, 'eventText')) at('a match case needs exactly one of "event" / "eventText"');
      if (has(c, 'eventText')) {
        if (typeof c.eventText !== 'string') at('"eventText" must be a string');
        else {
          try {
            JSON.parse(c.eventText);
          } catch {
            at('"eventText" is not valid JSON');
          }
        }
      }
      if (has(c, 'event') && (typeof c.event !== 'object' || c.event === null || Array.isArray(c.event)))
        at('"event" must be a JSON object');
    }
    for (const k of ['note', 'decision']) if (has(c, k) && (typeof c[k] !== 'string' || !c[k])) at(`"${k}" must be a non-empty string`);
  });
}

if (problems.length) {
  console.error(problems.join('\n'));
  console.error(`${problems.length} problem(s) in ${total} case(s)`);
  process.exit(1);
}
console.log(`ok: ${total} cases`);
