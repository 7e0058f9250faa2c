#!/usr/bin/env node
// Writes docs/configuration.md from the compiled option table (run `npm run build` first;
// `npm run docs:config` does both). test/cli/cli.test.ts fails when they differ.
import { writeFileSync } from 'node:fs';
import { renderConfigReference } from '../dist/cli/config-reference.js';

writeFileSync(new URL('../docs/configuration.md', import.meta.url), renderConfigReference());
console.log('docs/configuration.md written');
