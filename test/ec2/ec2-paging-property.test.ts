import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { paginate } from '../../src/core/ec2/paging.js';
import { wildcardMatches } from '../../src/core/ec2/wildcard.js';

describe('paging and wildcard properties', () => {
  it('pages of any size cover a sorted list exactly once, in order', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.string({ minLength: 1, maxLength: 6 }), { maxLength: 40 }),
        fc.integer({ min: 1, max: 12 }),
        (keys, size) => {
          const sorted = [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
          const seen: string[] = [];
          let token: string | undefined;
          let guard = 0;
          do {
            const page = paginate(sorted, (k) => k, size, token);
            assert.ok(page.items.length <= size);
            seen.push(...page.items);
            token = page.nextToken;
          } while (token && ++guard < 100);
          assert.deepEqual(seen, sorted);
        },
      ),
    );
  });

  it('a value always matches itself with wildcard characters escaped, and `*`', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), (value) => {
        const escaped = value.replace(/[\\*?]/g, '\\$&');
        assert.ok(wildcardMatches(escaped, value));
        assert.ok(wildcardMatches('*', value));
        assert.equal(wildcardMatches('?'.repeat(value.length), value), true);
      }),
    );
  });
});
