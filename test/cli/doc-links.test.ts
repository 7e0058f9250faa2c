import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, it } from 'node:test';
import { documentFiles, prose, withoutFences } from './doc-files.js';

/**
 * Every relative link of the README and of docs/ leads somewhere: the file exists and, for a
 * `#fragment` into Markdown, a heading there has that anchor as GitHub makes it. Links to
 * other sites are not followed (the suite runs offline).
 */

/** GitHub's heading anchors: lower case, punctuation but `-` and `_` dropped, spaces to `-`, repeats numbered. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const found = new Set<string>();
  for (const m of withoutFences(markdown).matchAll(/^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$/gm)) {
    const text = m[1]!.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1');
    const slug = text
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
      .replace(/ /g, '-');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    found.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return found;
}

/** The link targets of a Markdown text (inline links, images and reference definitions), outside code. */
function links(markdown: string): { target: string; line: number }[] {
  const text = prose(markdown);
  const found: { target: string; line: number }[] = [];
  const at = (index: number) => text.slice(0, index).split('\n').length;
  for (const m of text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) found.push({ target: m[1]!, line: at(m.index) });
  for (const m of text.matchAll(/^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)) found.push({ target: m[1]!, line: at(m.index) });
  return found;
}

/** Why a link from `document` does not lead anywhere, or null when it does. */
function brokenLink(document: string, target: string, read: (path: string) => string = (p) => readFileSync(p, 'utf8')): string | null {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return null;
  const [path = '', fragment] = target.split('#', 2) as [string, string | undefined];
  const file = path === '' ? document : normalize(join(dirname(document), decodeURIComponent(path)));
  if (!existsSync(file)) return `${file} does not exist`;
  if (fragment === undefined || fragment === '') return null;
  if (!file.endsWith('.md') || statSync(file).isDirectory()) return `#${fragment}: ${file} is not a Markdown file with headings`;
  return anchors(read(file)).has(decodeURIComponent(fragment)) ? null : `${file} has no heading with the anchor #${fragment}`;
}

describe('links in the README and docs/', () => {
  for (const document of documentFiles()) {
    it(`${document}: every relative link points to an existing file and anchor`, () => {
      const broken = links(readFileSync(document, 'utf8'))
        .map((l) => ({ ...l, why: brokenLink(document, l.target) }))
        .filter((l) => l.why !== null)
        .map((l) => `${document}:${l.line} (${l.target}): ${l.why}`);
      assert.deepEqual(broken, []);
    });
  }

  it('the checker itself: anchors as GitHub makes them, broken files and fragments found, code ignored', () => {
    assert.deepEqual(
      [
        ...anchors(
          "# A\n## start --init\n## Event history (amiwatch's own API)\n## `Ec2Store` [ports](x.md)\n## A\n```sh\n# not a heading\n```\n",
        ),
      ],
      ['a', 'start---init', 'event-history-amiwatchs-own-api', 'ec2store-ports', 'a-1'],
    );
    const md =
      'See [x](nope.md) and ![p](README.md#the-two-commands).\n```sh\n[y](inside-code.md)\n```\n`[z](inline.md)`\n[ref]: ./also-nope.md\n';
    assert.deepEqual(
      links(md).map((l) => [l.target, l.line]),
      [
        ['nope.md', 1],
        ['README.md#the-two-commands', 1],
        ['./also-nope.md', 6],
      ],
    );
    assert.equal(brokenLink('README.md', 'docs/cli.md#start---init'), null);
    assert.equal(brokenLink('docs/cli.md', 'https://example.com/nowhere'), null);
    assert.match(brokenLink('docs/cli.md', 'nope.md') ?? '', /docs\/nope\.md does not exist/);
    assert.match(brokenLink('docs/cli.md', '#no-such-heading') ?? '', /docs\/cli\.md has no heading with the anchor #no-such-heading/);
  });
});
