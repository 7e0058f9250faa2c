import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { check, matches, Matcher, PatternError } from '@amiwatch/event-pattern';
import { caseText, caseEvents, loadCaseFiles } from './case-files.js';

const files = loadCaseFiles();

test('the case files exist and are substantial', () => {
  const total = files.reduce((n, f) => n + f.cases.length, 0);
  assert.ok(files.length >= 10, `only ${files.length} case files`);
  assert.ok(total >= 200, `only ${total} cases`);
});

for (const file of files) {
  describe(file.file, () => {
    // One Matcher per file holding every valid pattern of the file, so each case is also
    // decided by a machine shared with many unrelated rules.
    const shared = new Matcher();
    for (const c of file.cases) if (c.error === undefined) shared.add(c.name, caseText(c));

    for (const c of file.cases) {
      const text = caseText(c);
      if (c.error !== undefined) {
        test(`${c.name} → invalid`, () => {
          assert.equal(check(text), c.error);
          assert.throws(
            () => new Matcher().add('r', text),
            (e: unknown) => e instanceof PatternError && e.message === c.error,
          );
        });
        continue;
      }
      test(`${c.name} → ${c.match ? 'match' : 'no match'}`, () => {
        assert.equal(check(text), null);
        for (const { label, event } of caseEvents(c)) {
          assert.equal(matches(text, event), c.match, `matches() with the event as ${label}`);
          const single = new Matcher();
          single.add('r', text);
          assert.deepEqual(single.match(event), c.match ? ['r'] : [], `one-rule Matcher, event as ${label}`);
          assert.equal(shared.match(event).includes(c.name), c.match, `shared Matcher, event as ${label}`);
        }
      });
    }
  });
}
