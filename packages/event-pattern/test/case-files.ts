/**
 * Loads the case files in ../cases: the language's behaviour as data, shared by the engine's
 * tests and the TestEventPattern API tests.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface PatternCase {
  readonly name: string;
  readonly pattern?: unknown;
  readonly patternText?: string;
  readonly event?: unknown;
  readonly eventText?: string;
  readonly match?: boolean;
  readonly error?: string;
  readonly note?: string;
  readonly decision?: string;
}

export interface CaseFile {
  readonly file: string;
  readonly about: string;
  readonly cases: readonly PatternCase[];
}

export const casesDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'cases');

export function loadCaseFiles(): CaseFile[] {
  return readdirSync(casesDir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => {
      const data = JSON.parse(readFileSync(join(casesDir, file), 'utf8')) as Omit<CaseFile, 'file'>;
      return { file, about: data.about, cases: data.cases };
    });
}

/** The pattern exactly as the case gives it: raw text when number formatting or syntax matters. */
export function caseText(c: PatternCase): string {
  return c.patternText ?? JSON.stringify(c.pattern);
}

/** The event forms to try: raw text only when given as text, otherwise both text and object. */
export function caseEvents(c: PatternCase): { label: string; event: string | object }[] {
  if (c.eventText !== undefined) return [{ label: 'text', event: c.eventText }];
  return [
    { label: 'text', event: JSON.stringify(c.event) },
    { label: 'object', event: c.event as object },
  ];
}
