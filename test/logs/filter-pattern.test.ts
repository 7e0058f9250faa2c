import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileFilterPattern, FilterPatternError } from '../../src/core/logs/filter-pattern.js';

const matches = (pattern: string, message: string) => compileFilterPattern(pattern)(message);

describe('CloudWatch Logs filter patterns', () => {
  it('text terms: all must occur, case-sensitive; quoted phrases; -exclusions; ?OR terms; empty matches all', () => {
    assert.ok(matches('', 'anything'));
    assert.ok(matches('ERROR Exception', 'x ERROR y Exception'));
    assert.ok(!matches('ERROR Exception', 'ERROR only'));
    assert.ok(!matches('ERROR', 'error lower case'));
    assert.ok(matches('"Task timed out"', 'Task timed out after 3.00 seconds'));
    assert.ok(!matches('"Task timed out"', 'Task out timed'));
    assert.ok(matches('ERROR -Retrying', 'ERROR fatal'));
    assert.ok(!matches('ERROR -Retrying', 'ERROR Retrying now'));
    assert.ok(matches('?ERROR ?WARN', 'a WARN b'));
    assert.ok(!matches('?ERROR ?WARN', 'INFO'));
  });

  it('JSON terms: = and != with strings and * wildcards, numeric comparisons, &&, || and parentheses, IS and NOT EXISTS', () => {
    const m = JSON.stringify({ detail: { State: 'available', ImageId: 'ami-123' }, size: 80, ok: true, none: null, list: [{ id: 'a' }] });
    assert.ok(matches('{ $.detail.State = "available" }', m));
    assert.ok(!matches('{ $.detail.State = "failed" }', m));
    assert.ok(matches('{ $.detail.ImageId = "ami-*" }', m));
    assert.ok(matches('{ $.detail.State != "failed" }', m));
    assert.ok(matches('{ $.size > 75 }', m));
    assert.ok(!matches('{ $.size < 75 }', m));
    assert.ok(matches('{ $.size >= 80 && $.detail.State = "available" }', m));
    assert.ok(matches('{ ($.size < 10 || $.detail.State = "available") && $.ok IS TRUE }', m));
    assert.ok(!matches('{ $.size < 10 || $.detail.State = "failed" }', m));
    assert.ok(matches('{ $.none IS NULL }', m));
    assert.ok(matches('{ $.missing NOT EXISTS }', m));
    assert.ok(matches('{ $.list[0].id = "a" }', m));
    assert.ok(!matches('{ $.size > 1 }', 'not json'));
  });

  it('refuses what it cannot read', () => {
    assert.throws(() => compileFilterPattern('{ $.a = }'), FilterPatternError);
    assert.throws(() => compileFilterPattern('{ $.a ~ 1 }'), FilterPatternError);
    assert.throws(() => compileFilterPattern('"unbalanced'), FilterPatternError);
    assert.throws(() => compileFilterPattern('[ip, user]'), FilterPatternError);
  });
});
