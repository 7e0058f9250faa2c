import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The documents a newcomer reads: the README and every Markdown file under docs/. Found on disk,
 * not listed by hand, so that a new page is checked (its commands run, its links followed) the
 * day it is written.
 */
export function documentFiles(): string[] {
  const docs = readdirSync('docs', { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.md'))
    .map((f) => join('docs', f))
    .sort();
  return ['README.md', ...docs];
}

export interface Fence {
  /** The info string's first word: `sh`, `json`, … ('' for a bare fence). */
  readonly lang: string;
  /** The lines between the fences, without the fence's own indentation (a block in a list item). */
  readonly body: string;
  /** 1-based lines of the opening and the closing fence. */
  readonly line: number;
  readonly end: number;
}

const opening = /^( *)(`{3,}|~{3,})\s*([^\s`]*)/;

/** The fenced code blocks of a Markdown text, indented ones included. */
export function fences(markdown: string): Fence[] {
  const found: Fence[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const open = opening.exec(lines[i]!);
    if (!open) continue;
    const [, indent, marker, lang] = open as unknown as [string, string, string, string];
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !isClosing(lines[j]!, marker); j++) {
      const l = lines[j]!;
      body.push(l.startsWith(indent) ? l.slice(indent.length) : l.trimStart());
    }
    found.push({ lang, body: body.join('\n'), line: i + 1, end: j + 1 });
    i = j;
  }
  return found;
}

const isClosing = (line: string, marker: string): boolean => {
  const t = line.trim();
  return t.startsWith(marker) && /^[`~]+$/.test(t);
};

/** The Markdown text with its fenced blocks blanked (line numbers kept): where headings live. */
export function withoutFences(markdown: string): string {
  const lines = markdown.split('\n');
  for (const f of fences(markdown)) for (let k = f.line - 1; k < Math.min(f.end, lines.length); k++) lines[k] = '';
  return lines.join('\n');
}

/** The Markdown text with fenced blocks and inline code blanked (line numbers kept): where links live. */
export function prose(markdown: string): string {
  return withoutFences(markdown).replace(/`[^`\n]*`/g, (code) => ' '.repeat(code.length));
}
