import fc from 'fast-check';
import type { WireSeed } from './seeds.js';

/** A request as the fuzzer sends it (a seed after mutations); `resign` asks for a valid signature over it. */
export interface FuzzRequest {
  readonly seed: string;
  readonly method: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  readonly resign: boolean;
}

type Mutation = (r: FuzzRequest) => FuzzRequest;

const printable = fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 80 });
/** Text a parser finds hard: escapes cut short, odd Unicode, prototype names, list indexes gone wrong. */
const nasty = fc.oneof(
  fc.constantFrom(
    '%',
    '%zz',
    '%E0%A4%A',
    '%00',
    '__proto__',
    'constructor',
    '.1',
    '.0.',
    '.-1',
    '.99999999999',
    '&&&',
    '==',
    '[',
    ']',
    '{',
    '}',
    '"',
    '\\',
    '\u0000',
    '\ud800',
    '💥',
    'A'.repeat(300),
  ),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
);

/** encodeURIComponent that takes lone surrogates too (as U+FFFD). */
function encode(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return encodeURIComponent(s.replace(/[\ud800-\udfff]/g, '\ufffd'));
  }
}

function splice(text: string, at: number, remove: number, insert: string): string {
  const i = text.length === 0 ? 0 : at % (text.length + 1);
  return text.slice(0, i) + insert + text.slice(i + remove);
}

const bodyMutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.tuple(fc.nat(), fc.nat({ max: 20 }), nasty).map(
    ([at, n, s]): Mutation =>
      (r) => ({ ...r, body: splice(r.body, at, n, s) }),
  ),
  fc.nat().map(
    (at): Mutation =>
      (r) => ({ ...r, body: r.body.slice(0, r.body.length === 0 ? 0 : at % r.body.length) }),
  ),
  fc
    .tuple(
      fc.constantFrom(
        'Action',
        'Version',
        'Name',
        'TopicArn',
        'QueueUrl',
        'Filter.1.Name',
        'Filter.1.Value.1',
        'MessageAttributes.entry.1.Value.DataType',
        'Attribute.1.Name',
        'Entries.member.1.Id',
        'ImageId',
        'Owner.1',
      ),
      nasty,
    )
    .map(
      ([k, v]): Mutation =>
        (r) => ({ ...r, body: `${r.body}&${encode(k)}=${encode(v)}` }),
    ),
  fc.jsonValue({ maxDepth: 4 }).map(
    (v): Mutation =>
      (r) => ({ ...r, body: JSON.stringify(v) }),
  ),
  fc.tuple(fc.jsonValue({ maxDepth: 3 }), fc.nat({ max: 40 })).map(
    ([v, key]): Mutation =>
      (r) => {
        // A member of a JSON body replaced by a value of any type.
        try {
          const o = JSON.parse(r.body) as Record<string, unknown>;
          const keys = Object.keys(o);
          if (keys.length > 0 && o && typeof o === 'object') o[keys[key % keys.length]!] = v;
          return { ...r, body: JSON.stringify(o) };
        } catch {
          return r;
        }
      },
  ),
  fc.integer({ min: 1, max: 200 }).map(
    (depth): Mutation =>
      (r) => ({ ...r, body: '['.repeat(depth) + ']'.repeat(depth) }),
  ),
  fc.string({ maxLength: 200 }).map(
    (s): Mutation =>
      (r) => ({ ...r, body: s }),
  ),
);

const HEADERS = [
  'authorization',
  'x-amz-target',
  'content-type',
  'x-amz-date',
  'x-amz-content-sha256',
  'x-amz-region-set',
  'content-encoding',
  'origin',
] as const;
const headerMutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constantFrom(...HEADERS).map(
    (h): Mutation =>
      (r) => {
        const { [h]: _gone, ...rest } = r.headers;
        return { ...r, headers: rest };
      },
  ),
  fc.tuple(fc.constantFrom(...HEADERS), printable).map(
    ([h, v]): Mutation =>
      (r) => ({ ...r, headers: { ...r.headers, [h]: v } }),
  ),
  fc.tuple(fc.constantFrom('AWSEvents.', 'AmazonSQS.', 'AWSEvents.PutEvents', 'AmazonSQS.SendMessage', ''), printable).map(
    ([p, v]): Mutation =>
      (r) => ({ ...r, headers: { ...r.headers, 'x-amz-target': p + v } }),
  ),
  fc
    .tuple(
      fc.constantFrom('Credential=', 'SignedHeaders=', 'Signature=', '/aws4_request', 'AWS4-HMAC-SHA256 ', 'AWS4-ECDSA-P256-SHA256 '),
      printable,
    )
    .map(
      ([part, v]): Mutation =>
        (r) => {
          const a = r.headers.authorization ?? '';
          return { ...r, headers: { ...r.headers, authorization: a.includes(part) ? a.replace(part, part + v) : `${a}${part}${v}` } };
        },
    ),
  fc.constantFrom('events', 'sns', 'sqs', 'ec2', 'lambda', 'amiwatch', 's3').map(
    (svc): Mutation =>
      (r) => ({
        ...r,
        headers: {
          ...r.headers,
          authorization: (r.headers.authorization ?? '').replace(/\/[a-z0-9-]+\/aws4_request/, `/${svc}/aws4_request`),
        },
      }),
  ),
);

const pathMutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc
    .tuple(
      fc.constantFrom(
        '/',
        '/2015-03-31/functions/',
        '/000000000000/fuzz-q',
        '/_amiwatch/',
        '/_amiwatch/events/',
        '/_amiwatch/functions/',
        '/_amiwatch/ec2/faults/',
      ),
      nasty,
    )
    .map(
      ([p, s]): Mutation =>
        (r) => ({ ...r, path: p + encode(s).replace(/%25/g, '%').replace(/%2F/g, '/') }),
    ),
  fc
    .tuple(
      fc.constantFrom(
        'X-Amz-Algorithm',
        'X-Amz-Credential',
        'X-Amz-Date',
        'X-Amz-Expires',
        'X-Amz-SignedHeaders',
        'X-Amz-Signature',
        'Action',
        'limit',
        'Marker',
        'MaxItems',
        'Qualifier',
      ),
      nasty,
    )
    .map(
      ([k, v]): Mutation =>
        (r) => ({ ...r, path: `${r.path}${r.path.includes('?') ? '&' : '?'}${k}=${encode(v)}` }),
    ),
  fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS').map(
    (m): Mutation =>
      (r) => ({ ...r, method: m }),
  ),
);

const mutation = fc.oneof(
  { weight: 4, arbitrary: bodyMutation },
  { weight: 3, arbitrary: headerMutation },
  { weight: 2, arbitrary: pathMutation },
);

/** A request owing nothing to a seed: any method, path, AWS-ish headers and body. */
const randomRequest: fc.Arbitrary<FuzzRequest> = fc.record({
  seed: fc.constant('random'),
  method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH'),
  path: fc.oneof(
    fc.constantFrom('/', '/?Action=ListTopics&Version=2010-03-31', '/2015-03-31/functions', '/_amiwatch/events', '/000000000000/q'),
    nasty.map((s) => `/${encode(s)}`),
  ),
  headers: fc.dictionary(fc.constantFrom(...HEADERS), printable, { maxKeys: 5 }),
  body: fc.oneof(
    fc.string({ maxLength: 300 }),
    fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  ),
  resign: fc.boolean(),
});

/**
 * Requests: mostly a seed with 0–4 mutations, sometimes one made from nothing; half of them
 * re-signed (so they reach the parsers when signatures are verified).
 */
export function fuzzRequests(seeds: readonly WireSeed[]): fc.Arbitrary<FuzzRequest> {
  const mutated = fc.tuple(fc.constantFrom(...seeds), fc.array(mutation, { maxLength: 4 }), fc.boolean()).map(([seed, ms, resign]) =>
    ms.reduce<FuzzRequest>((r, m) => m(r), {
      seed: seed.name,
      method: seed.method,
      path: seed.path,
      headers: seed.headers,
      body: seed.body,
      resign,
    }),
  );
  return fc.oneof({ weight: 9, arbitrary: mutated }, { weight: 1, arbitrary: randomRequest });
}
