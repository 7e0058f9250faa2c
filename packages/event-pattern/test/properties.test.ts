/**
 * Property tests: on random patterns and events the compiled Matcher gives exactly the answers
 * of the reference interpreter (`matches`), and no input makes either throw anything but a
 * pattern (or event syntax) error.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { check, matches, Matcher, PatternError, EventSyntaxError } from '@amiwatch/event-pattern';

const strings = [
  'a',
  'A',
  'ab',
  'aB',
  'b',
  'ba',
  '',
  'x*y',
  'xzy',
  '10.0.0.1',
  '10.0.1.9',
  '::1',
  'ß',
  'SS',
  'ss',
  'é',
  'É',
  'ſ',
  'S',
  'K',
  'k',
  '\u212a',
  'Σ',
  'σ',
  'ς',
  'İ',
  'i',
  '😀',
  'a😀',
  'q"uote',
  'back\\slash',
  'line\nbreak',
  'tab\t',
  '\\"',
  'dot.ted',
];
const numbers = [0, 1, -1, 1.5, 300, 300.25, 5e9, 6e9, 123456789012];
const scalar = fc.oneof(fc.constantFrom(...strings), fc.constantFrom(...numbers), fc.constantFrom(true, false, null));
const leafValue = fc.oneof({ weight: 4, arbitrary: scalar }, { weight: 1, arbitrary: fc.array(scalar, { maxLength: 3 }) });

const eventArb = fc.record(
  {
    a: leafValue,
    b: leafValue,
    c: fc.record({ d: leafValue, e: leafValue }, { requiredKeys: ['d'] }),
    arr: fc.array(fc.record({ x: leafValue, y: leafValue }, { requiredKeys: ['x'] }), { maxLength: 3 }),
    n: fc.constantFrom(...numbers),
  },
  { requiredKeys: ['a', 'c', 'arr'] },
);

const str = fc.constantFrom(...strings);
const num = fc.constantFrom(0, 1, -1, 1.5, 300, 2.25);
const matcherArb = fc.oneof(
  { weight: 4, arbitrary: scalar },
  { weight: 1, arbitrary: str.map((s) => ({ prefix: s })) },
  { weight: 1, arbitrary: str.map((s) => ({ suffix: s })) },
  { weight: 1, arbitrary: str.map((s) => ({ 'equals-ignore-case': s })) },
  { weight: 1, arbitrary: str.filter((s) => s !== '').map((s) => ({ prefix: { 'equals-ignore-case': s } })) },
  { weight: 1, arbitrary: str.filter((s) => s !== '').map((s) => ({ suffix: { 'equals-ignore-case': s } })) },
  {
    weight: 1,
    arbitrary: fc
      .oneof(str, num, fc.array(str, { minLength: 1, maxLength: 2 }), fc.array(num, { minLength: 1, maxLength: 2 }))
      .map((v) => ({ 'anything-but': v })),
  },
  { weight: 1, arbitrary: str.filter((s) => s !== '').map((s) => ({ 'anything-but': { prefix: s } })) },
  { weight: 1, arbitrary: str.filter((s) => s !== '').map((s) => ({ 'anything-but': { suffix: s } })) },
  { weight: 1, arbitrary: str.map((s) => ({ 'anything-but': { 'equals-ignore-case': s } })) },
  { weight: 1, arbitrary: fc.constantFrom('a*', '*b', 'x\\*y', 'x*y', '*').map((w) => ({ wildcard: w })) },
  { weight: 1, arbitrary: fc.constantFrom('a*', '*b').map((w) => ({ 'anything-but': { wildcard: w } })) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('>', '>=', '<', '<=', '='), num).map(([op, v]) => ({ numeric: [op, v] })) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(num, num)
      .filter(([x, y]) => x < y)
      .map(([x, y]) => ({ numeric: ['>', x, '<=', y] })),
  },
  { weight: 1, arbitrary: fc.constantFrom('10.0.0.0/24', '10.0.0.0/16', '::/64').map((c) => ({ cidr: c })) },
  { weight: 1, arbitrary: fc.boolean().map((b) => ({ exists: b })) },
);
const fieldArb = fc.array(matcherArb, { minLength: 1, maxLength: 3 });
const fieldPaths = ['a', 'b', 'c.d', 'c.e', 'arr.x', 'arr.y', 'n'];
/** One or two fields, nested as their dotted paths say. */
const leafPatternArb = fc.uniqueArray(fc.constantFrom(...fieldPaths), { minLength: 1, maxLength: 2 }).chain((paths) =>
  fc.tuple(...paths.map(() => fieldArb)).map((fields) => {
    const out: Record<string, unknown> = {};
    paths.forEach((path, i) => {
      const [head, tail] = path.split('.') as [string, string | undefined];
      if (tail === undefined) out[head] = fields[i];
      else out[head] = { ...(out[head] as object | undefined), [tail]: fields[i] };
    });
    return out;
  }),
);
const patternArb = fc.oneof(
  { weight: 3, arbitrary: leafPatternArb },
  { weight: 1, arbitrary: fc.tuple(leafPatternArb, leafPatternArb, leafPatternArb).map(([x, y, z]) => ({ ...x, $or: [y, z] })) },
);

test('the compiled Matcher agrees with the interpreter on random patterns and events', () => {
  fc.assert(
    fc.property(
      fc.array(patternArb, { minLength: 1, maxLength: 25 }),
      fc.array(eventArb, { minLength: 1, maxLength: 10 }),
      (patterns, events) => {
        const valid = patterns.filter((p) => check(p) === null);
        const m = new Matcher();
        valid.forEach((p, i) => m.add(`r${i}`, p));
        for (const e of events) {
          const got = new Set(m.match(e));
          const gotText = new Set(m.match(JSON.stringify(e)));
          valid.forEach((p, i) => {
            const want = matches(p, e);
            assert.equal(got.has(`r${i}`), want, `object event: ${JSON.stringify(p)} vs ${JSON.stringify(e)}`);
            assert.equal(gotText.has(`r${i}`), want, `text event: ${JSON.stringify(p)} vs ${JSON.stringify(e)}`);
          });
        }
      },
    ),
    { numRuns: 300 },
  );
});

test('removing rules leaves the others answering exactly as before', () => {
  fc.assert(
    fc.property(
      fc.array(patternArb, { minLength: 2, maxLength: 20 }),
      fc.array(eventArb, { minLength: 1, maxLength: 6 }),
      (patterns, events) => {
        const valid = patterns.filter((p) => check(p) === null);
        const m = new Matcher();
        valid.forEach((p, i) => m.add(`r${i}`, p));
        valid.forEach((_, i) => {
          if (i % 2 === 0) m.remove(`r${i}`);
        });
        for (const e of events) {
          const got = new Set(m.match(e));
          valid.forEach((p, i) => assert.equal(got.has(`r${i}`), i % 2 === 1 && matches(p, e)));
        }
      },
    ),
    { numRuns: 200 },
  );
});

test('arbitrary text and JSON as a pattern: only null or a reason text, never an exception', () => {
  fc.assert(
    fc.property(
      fc.oneof(
        fc.string(),
        fc.json(),
        fc.json().map((j) => `{"a": ${j}}`),
        fc.json().map((j) => `{"a": [${j}]}`),
        fc.json().map((j) => `{"a": [{"numeric": ${j}}]}`),
      ),
      (text) => {
        const r = check(text);
        assert.ok(r === null || typeof r === 'string');
        try {
          new Matcher().add('x', text);
          assert.equal(r, null);
        } catch (e) {
          assert.ok(e instanceof PatternError, String(e));
          assert.equal(e.message, r);
        }
      },
    ),
    { numRuns: 2000 },
  );
});

test('arbitrary text as an event: a match answer or an EventSyntaxError, never anything else', () => {
  const m = new Matcher();
  m.add('r', { a: [{ exists: true }] });
  fc.assert(
    fc.property(fc.oneof(fc.string(), fc.json()), (text) => {
      let valid = true;
      try {
        const parsed = JSON.parse(text) as unknown;
        valid = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed);
      } catch {
        valid = false;
      }
      try {
        m.match(text);
        matches({ a: [{ exists: true }] }, text);
        assert.ok(valid, `accepted invalid event ${JSON.stringify(text)}`);
      } catch (e) {
        assert.ok(e instanceof EventSyntaxError, String(e));
        assert.ok(!valid, `rejected valid event ${JSON.stringify(text)}`);
      }
    }),
    { numRuns: 2000 },
  );
});

test('a rule is reported once per event, however many ways it matches', () => {
  fc.assert(
    fc.property(
      fc.array(patternArb, { minLength: 1, maxLength: 10 }),
      fc.array(eventArb, { minLength: 1, maxLength: 6 }),
      (patterns, events) => {
        const m = new Matcher();
        patterns.forEach((p, i) => m.add(`r${i}`, p));
        for (const e of events) {
          const names = m.match(e);
          assert.equal(new Set(names).size, names.length, `duplicates in ${JSON.stringify(names)}`);
        }
      },
    ),
    { numRuns: 300 },
  );
});

test('JSON text is read exactly as the parsed object, compact or pretty, escapes and all', () => {
  const keyArb = fc.constantFrom('a', 'b', 'c', 'a.b', 'q"k', 'x\\y', 'é');
  const valueArb = fc.letrec((tie) => ({
    value: fc.oneof(
      { depthSize: 'small' },
      scalar,
      fc.string(),
      fc.array(tie('value'), { maxLength: 3 }),
      fc.dictionary(keyArb, tie('value'), { maxKeys: 3 }),
    ),
  })).value;
  const eventArb2 = fc.dictionary(keyArb, valueArb, { maxKeys: 5 });
  const pats = [
    { a: [{ exists: true }] },
    { 'a.b': [{ exists: true }] },
    { a: { b: [{ exists: false }] } },
    { 'q"k': [{ exists: true }] },
    { 'x\\y': [{ prefix: '' }] },
    { é: [{ 'anything-but': 'x' }] },
    { c: { a: [{ exists: true }] } },
  ];
  fc.assert(
    fc.property(eventArb2, (event) => {
      for (const p of pats) {
        const want = matches(p, event);
        assert.equal(matches(p, JSON.stringify(event)), want, 'compact text');
        assert.equal(matches(p, JSON.stringify(event, null, 2)), want, 'pretty text');
      }
    }),
    { numRuns: 1000 },
  );
});

test('many prefix/suffix/ignore-case rules on one field: indexed lookups agree with the interpreter', () => {
  const affix = fc.stringMatching(/^[abAB]{0,3}$/);
  const rule = fc.oneof(
    affix.map((s) => ({ a: [{ prefix: s }] })),
    affix.map((s) => ({ a: [{ suffix: s }] })),
    affix.filter((s) => s !== '').map((s) => ({ a: [{ prefix: { 'equals-ignore-case': s } }] })),
    affix.filter((s) => s !== '').map((s) => ({ a: [{ suffix: { 'equals-ignore-case': s } }] })),
    affix.map((s) => ({ a: [{ 'equals-ignore-case': s }] })),
  );
  fc.assert(
    fc.property(
      fc.array(rule, { minLength: 9, maxLength: 40 }),
      fc.array(fc.stringMatching(/^[abAB]{0,5}$/), { minLength: 1, maxLength: 8 }),
      (rules, values) => {
        const m = new Matcher();
        rules.forEach((p, i) => m.add(`r${i}`, p));
        for (const v of values) {
          const got = new Set(m.match({ a: v }));
          rules.forEach((p, i) => assert.equal(got.has(`r${i}`), matches(p, { a: v }), `${JSON.stringify(p)} vs ${v}`));
        }
      },
    ),
    { numRuns: 300 },
  );
});

test('many rules per exact key, added and removed in any order: the compiled forms agree with the interpreter', () => {
  // A few exact values shared by many rules, so that one key leads to a subtree that is
  // sometimes a single rule, sometimes a small program, sometimes an indexed fan-out too big for
  // one — and rules leave and come back, so every form is rebuilt from every other.
  const key = fc.constantFrom('k1', 'k2', 'k3');
  const residual = fc.oneof(
    fc.constant(undefined),
    str.map((s) => ({ a: [{ prefix: s }] })),
    str.map((s) => ({ a: [{ 'anything-but': s }] })),
    num.map((v) => ({ n: [{ numeric: ['>', v] }] })),
    fc.boolean().map((b) => ({ b: [{ exists: b }] })),
    fc.tuple(str, str).map(([x, y]) => ({ a: [{ suffix: x }], b: [y] })),
  );
  const rule = fc.oneof(
    { weight: 4, arbitrary: fc.tuple(key, residual).map(([k, r]) => ({ k: [k], ...r })) },
    { weight: 1, arbitrary: fc.tuple(key, key, residual).map(([k, l, r]) => ({ $or: [{ k: [k] }, { c: { d: [l] }, ...r }] })) },
    { weight: 1, arbitrary: fc.tuple(key, key).map(([k, l]) => ({ k: [k, l], c: { d: [k] } })) },
  );
  const event = fc.record(
    {
      k: fc.oneof(key, fc.array(key, { maxLength: 3 })),
      a: leafValue,
      b: leafValue,
      c: fc.record({ d: fc.oneof(key, fc.array(key, { maxLength: 2 })) }),
      n: fc.constantFrom(...numbers),
      arr: fc.array(fc.record({ x: leafValue }), { maxLength: 2 }),
    },
    { requiredKeys: ['k'] },
  );
  fc.assert(
    fc.property(
      fc.array(rule, { minLength: 1, maxLength: 60, size: 'max' }),
      fc.array(event, { minLength: 1, maxLength: 5 }),
      fc.array(fc.nat(), { maxLength: 60, size: 'max' }),
      (rules, events, order) => {
        const m = new Matcher();
        const live = new Set<number>();
        const agree = (): void => {
          for (const e of events) {
            const got = new Set(m.match(e));
            const gotText = new Set(m.match(JSON.stringify(e)));
            rules.forEach((p, i) => {
              const want = live.has(i) && matches(p, e);
              assert.equal(got.has(`r${i}`), want, `object: ${JSON.stringify(p)} vs ${JSON.stringify(e)}`);
              assert.equal(gotText.has(`r${i}`), want, `text: ${JSON.stringify(p)} vs ${JSON.stringify(e)}`);
            });
          }
        };
        rules.forEach((p, i) => {
          m.add(`r${i}`, p);
          live.add(i);
        });
        agree();
        for (const o of order) {
          const i = o % rules.length;
          if (live.has(i)) {
            m.remove(`r${i}`);
            live.delete(i);
          } else {
            m.add(`r${i}`, rules[i]!);
            live.add(i);
          }
        }
        agree();
      },
    ),
    { numRuns: 300 },
  );
});
