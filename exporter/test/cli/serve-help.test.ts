import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { REPO_DIR, runCli } from './run-cli.js';

it('serve --help lists every environment variable config.ts reads, with the default the README documents', async () => {
  const run = await runCli(['serve', '--help']);
  expect(run.code).toBe(0);
  const listed = new Map([...run.stdout.matchAll(/^ {2}(MODELWATCH_[A-Z_]+) +(.+)$/gm)].map((m) => [m[1], m[2].trim()]));
  const config = fs.readFileSync(path.join(REPO_DIR, 'exporter/src/config/config.ts'), 'utf8');
  const read = new Set(config.match(/MODELWATCH_[A-Z_]+/g));
  expect([...read].filter((name) => !listed.has(name))).toEqual([]);
  // Defaults written as a literal in the README table (`9400`, `info`, …) agree with the help.
  const readme = fs.readFileSync(path.join(REPO_DIR, 'README.md'), 'utf8');
  const documented = [...readme.matchAll(/^\| `(MODELWATCH_[A-Z_]+)` *\| `([^`]+)` *\|/gm)];
  expect(documented.length).toBeGreaterThan(20);
  expect(
    documented
      .filter(([, name, value]) => listed.get(name) !== value)
      .map(([, name, value]) => `${name}: README ${value}, help ${listed.get(name)}`),
  ).toEqual([]);
});
