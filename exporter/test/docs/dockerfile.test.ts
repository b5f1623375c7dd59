import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './readme-blocks.js';

const workspaces = (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { workspaces: string[] }).workspaces;
const ignored = fs
  .readFileSync(path.join(REPO_ROOT, '.dockerignore'), 'utf8')
  .split('\n')
  .filter((l) => l && !l.startsWith('#'));

// The two images docker-compose.yml builds.
describe.each(['exporter/Dockerfile', 'grafana-plugin/Dockerfile'])('%s', (file) => {
  const dockerfile = fs.readFileSync(path.join(REPO_ROOT, file), 'utf8');
  /** Sources of the build stage's COPY lines (not --from=…), relative to the build context. */
  const copied = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((m) => m[1].split(/\s+/));

  it('copies every workspace package.json before npm ci (a missing one fails npm ci against the lockfile)', () => {
    expect(workspaces.filter((w) => !copied.includes(`${w}/package.json`))).toEqual([]);
  });

  it('copies only paths that exist and that .dockerignore does not exclude', () => {
    expect(copied.filter((p) => !fs.existsSync(path.join(REPO_ROOT, p)))).toEqual([]);
    const excluded = (p: string) =>
      ignored.some((pattern) => new RegExp(`^${pattern.replace(/\*\*\//g, '(.*/)?').replace(/\*/g, '[^/]*')}(/|$)`).test(p));
    expect(copied.filter(excluded)).toEqual([]);
    // and the context leaves out what the image builds itself
    for (const p of ['node_modules', 'exporter/node_modules', 'exporter/dist', 'grafana-plugin/dist', '.data', '.git', '.env'])
      expect([p, excluded(p)]).toEqual([p, true]);
  });
});
