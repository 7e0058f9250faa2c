import { test } from 'node:test';
import assert from 'node:assert/strict';
import { check, matches, Matcher, PatternError, EventSyntaxError, DEFAULT_LIMITS } from '@amiwatch/event-pattern';

const ami = (state: string, image = 'ami-0123456789abcdef0') => ({
  version: '0',
  id: '7bf73129-1428-4cd3-a780-95db273d1602',
  'detail-type': 'EC2 AMI State Change',
  source: 'aws.ec2',
  account: '012345678901',
  time: '2026-11-25T10:00:00Z',
  region: 'us-east-1',
  resources: [`arn:aws:ec2:us-east-1::image/${image}`],
  detail: { RequestId: 'r-1', ImageId: image, State: state, ErrorMessage: state === 'failed' ? 'boom' : '' },
});
const guideRule = { source: ['aws.ec2'], 'detail-type': ['EC2 AMI State Change'], detail: { State: ['available'] } };

test('add replaces a rule of the same name; remove and has report membership', () => {
  const m = new Matcher();
  m.add('r', guideRule);
  assert.deepEqual(m.match(ami('available')), ['r']);
  m.add('r', { detail: { State: ['failed'] } });
  assert.equal(m.size, 1);
  assert.deepEqual(m.match(ami('available')), []);
  assert.deepEqual(m.match(ami('failed')), ['r']);
  assert.equal(m.has('r'), true);
  assert.equal(m.remove('r'), true);
  assert.equal(m.remove('r'), false);
  assert.equal(m.has('r'), false);
  assert.deepEqual(m.match(ami('failed')), []);
});

test('an invalid pattern throws PatternError with the AWS text and leaves the Matcher unchanged', () => {
  const m = new Matcher();
  m.add('keep', guideRule);
  const bad = '{"detail": {"State": []}}';
  assert.throws(
    () => m.add('keep', bad),
    (e: unknown) => e instanceof PatternError && e.message === check(bad),
  );
  assert.deepEqual(m.match(ami('available')), ['keep']);
});

test('events as text and as objects give the same answer; bad events throw EventSyntaxError', () => {
  const m = new Matcher();
  m.add('r', guideRule);
  const e = ami('available');
  assert.deepEqual(m.match(JSON.stringify(e)), m.match(e));
  assert.deepEqual(m.match(JSON.stringify(e, null, 2)), ['r']);
  for (const bad of ['', '[]', '{"a":', '{"a": 1} x', 'null']) {
    assert.throws(() => m.match(bad), EventSyntaxError, bad);
    assert.throws(() => matches(guideRule, bad), EventSyntaxError, bad);
  }
});

test('thousands of rules: exactly the rules that should match, before and after removals', () => {
  const m = new Matcher();
  const images = Array.from({ length: 3000 }, (_, i) => `ami-${(0x10000000 + i).toString(16)}000000000`);
  images.forEach((img, i) =>
    m.add(`img-${i}`, { source: ['aws.ec2'], detail: { ImageId: [img], State: [i % 2 ? 'failed' : 'available'] } }),
  );
  m.add('any-failed', { source: ['aws.ec2'], detail: { State: ['failed'] } });
  m.add('big', { source: ['aws.ec2'], detail: { ImageId: [{ prefix: 'ami-1000' }] } });
  assert.deepEqual(m.match(ami('available', images[4]!)).sort(), ['big', 'img-4']);
  assert.deepEqual(m.match(ami('failed', images[5]!)).sort(), ['any-failed', 'big', 'img-5']);
  assert.deepEqual(m.match(ami('failed', images[4]!)).sort(), ['any-failed', 'big']);
  for (let i = 0; i < 3000; i += 2) m.remove(`img-${i}`);
  assert.deepEqual(m.match(ami('available', images[4]!)).sort(), ['big']);
  assert.deepEqual(m.match(ami('failed', images[5]!)).sort(), ['any-failed', 'big', 'img-5']);
  assert.equal(m.size, 1502);
});

test('limits are options: the $or combination cap and the wildcard complexity cap', () => {
  const or = { $or: [{ a: ['1'] }, { b: ['2'] }, { c: ['3'] }] };
  assert.equal(check(or), null);
  assert.match(check(or, { ...DEFAULT_LIMITS, maxBranches: 2 }) ?? '', /too many \$or combinations: at most 2/);
  assert.throws(() => new Matcher({ limits: { ...DEFAULT_LIMITS, maxBranches: 2 } }).add('x', or), PatternError);
  const wild = { a: [{ wildcard: '*:*:*:*' }] };
  assert.equal(check(wild), null);
  assert.match(check(wild, { ...DEFAULT_LIMITS, maxWildcardComplexity: 3 }) ?? '', /^Rule is too complex/);
});

test("the guide's rule matches exactly the available event of the three AMI events", () => {
  assert.equal(matches(guideRule, ami('available')), true);
  assert.equal(matches(guideRule, ami('failed')), false);
  assert.equal(matches(guideRule, ami('deregistered')), false);
});

test("deep nesting: patterns stop at Jackson's 1,000 levels, events at 1,000, cycles too — never a stack overflow", () => {
  const roomy = { ...DEFAULT_LIMITS, maxLength: 100_000 };
  const deepPattern = '{"a":'.repeat(1001) + '["x"]' + '}'.repeat(1001);
  assert.equal(
    check(deepPattern, roomy),
    'Document nesting depth (1001) exceeds the maximum allowed (1000, from `StreamReadConstraints.getMaxNestingDepth()`)',
  );
  assert.equal(check('{"a":'.repeat(999) + '["x"]' + '}'.repeat(999), roomy), null);
  const m = new Matcher();
  m.add('r', { a: [{ exists: true }] });
  const deepText = '{"b":'.repeat(5000) + '1' + '}'.repeat(5000);
  assert.throws(() => m.match(deepText), EventSyntaxError);
  assert.throws(() => matches({ a: ['x'] }, deepText), EventSyntaxError);
  const deepArray = '{"a":' + '['.repeat(5000) + ']'.repeat(5000) + '}';
  assert.throws(() => m.match(deepArray), EventSyntaxError);
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic.self = cyclic;
  // The Matcher follows only the paths its rules use, so it never walks the cycle; the
  // interpreter reads everything and stops at the depth limit.
  const mm = new Matcher();
  mm.add('r', { self: { a: [1] } });
  assert.deepEqual(mm.match(cyclic), ['r']);
  assert.throws(() => matches({ self: { a: [1] } }, cyclic), EventSyntaxError);
  const fine = '{"b":'.repeat(900) + '1' + '}'.repeat(900);
  assert.deepEqual(m.match(fine), []);
});

test('pattern size: 2,048 characters by default, configurable', () => {
  const pad = (n: number) => `{"a":["${'x'.repeat(n - 10)}"]}`;
  assert.equal(pad(2048).length, 2048);
  assert.equal(check(pad(2048)), null);
  assert.equal(check(pad(2049)), 'Event pattern is 2049 characters long; the maximum is 2048');
  assert.equal(check(pad(4096), { ...DEFAULT_LIMITS, maxLength: 4096 }), null);
  assert.throws(() => new Matcher().add('r', pad(2049)), PatternError);
});

test('exact values are kept per path: a path whose last rule left gives its slot to another path, values do not leak between them', () => {
  const m = new Matcher();
  m.add('on-a', { a: ['x'], b: ['y'] });
  assert.deepEqual(m.match({ a: 'x', b: 'y' }), ['on-a']);
  m.remove('on-a'); // frees the slots of paths a and b
  m.add('on-c', { c: ['x'], d: ['y'] }); // new paths may take them over
  m.add('on-e', { e: ['x'] });
  assert.deepEqual(m.match({ a: 'x', b: 'y' }), []);
  assert.deepEqual(m.match({ c: 'x', d: 'y', e: 'x' }).sort(), ['on-c', 'on-e']);
  assert.deepEqual(m.match({ c: 'y', d: 'x' }), [], 'the same values on swapped paths');
  m.add('on-a', { a: ['x'], b: ['y'] });
  assert.deepEqual(m.match(JSON.stringify({ a: 'x', b: 'y', c: 'x', d: 'y' })).sort(), ['on-a', 'on-c']);
});
