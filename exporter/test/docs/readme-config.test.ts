import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../..');

it('documents every environment variable the exporter reads in the README configuration table', () => {
  const config = fs.readFileSync(path.join(repoRoot, 'exporter/src/config/config.ts'), 'utf8');
  const readme = fs.readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const read = new Set(config.match(/MODELWATCH_[A-Z_]+/g));
  expect(read.size).toBeGreaterThan(10);
  const documented = new Set([...readme.matchAll(/^\| `(MODELWATCH_[A-Z_]+)` *\|/gm)].map((m) => m[1]));
  expect([...read].filter((name) => !documented.has(name))).toEqual([]);
});
