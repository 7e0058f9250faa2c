import { readFileSync } from 'node:fs';

/** The package's version, read from package.json (src/cli and dist/cli are both two levels down). */
export const VERSION: string = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string })
  .version;
