import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { REPO_ROOT } from './readme-blocks.js';

const dockerfile = fs.readFileSync(path.join(REPO_ROOT, 'exporter/Dockerfile'), 'utf8');
const workspaces = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { workspaces: string[] }).workspaces;
/** Sources of the build stage's COPY lines (not --from=…), relative to the build context. */
const copied = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => m[1].split(/\s+/));
const ignored = fs
  .readFileSync(path.join(REPO_ROOT, '.dockerignore'), 'utf8')
  .split('\n')
  .filter((l) => l && !l.startsWith('#'));

it('copies every workspace package.json before npm ci (a missing one fails npm ci against the lockfile)', () => {
  expect(workspaces.filter((w) => !copied.includes(`${w}/package.json`))).toEqual([]);
});

it('copies only paths that exist and that .dockerignore does not exclude', () => {
  expect(copied.filter((p) => !fs.existsSync(path.join(REPO_ROOT, p)))).toEqual([]);
  const excluded = (p: string) =>
    ignored.some((pattern) => new RegExp(`^${pattern.replace(/\*\*\//g, '(.*/)?').replace(/\*/g, '[^/]*')}(/|$)`).test(p));
  expect(copied.filter(excluded)).toEqual([]);
  // and the context leaves out what the image builds itself
  for (const p of ['node_modules', 'exporter/node_modules', 'exporter/dist', '.data', '.git']) expect([p, excluded(p)]).toEqual([p, true]);
});
