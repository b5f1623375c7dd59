import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { README_PICTURES, REPO_ROOT } from '../src/index.js';

/** Markdown files that show pictures: the READMEs and docs/, outside node_modules. */
function markdownFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.name === 'node_modules' || e.name.startsWith('.') || e.name === 'dist' || e.name === 'test-output') continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.md')) out.push(p);
    }
  };
  walk(REPO_ROOT);
  return out;
}

describe('pictures the READMEs show', () => {
  const shown = new Map<string, string>();
  for (const md of markdownFiles()) {
    const text = fs.readFileSync(md, 'utf8');
    for (const m of text.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)|<img[^>]+src="([^"]+)"/g)) {
      const ref = m[1] ?? m[2];
      if (/^https?:/.test(ref)) continue;
      shown.set(path.relative(REPO_ROOT, path.resolve(path.dirname(md), ref)), path.relative(REPO_ROOT, md));
    }
  }

  it('are each declared with the test that draws them, and exist', () => {
    expect(shown.size).toBeGreaterThan(0);
    const undeclared = [...shown].filter(([p]) => !(p in README_PICTURES)).map(([p, md]) => `${p} (shown in ${md})`);
    expect(undeclared).toEqual([]);
    expect([...shown.keys()].filter((p) => !fs.existsSync(path.join(REPO_ROOT, p)))).toEqual([]);
  });

  it('are each refreshed by the test declared for them', () => {
    for (const [picture, test] of Object.entries(README_PICTURES)) {
      const source = fs.readFileSync(path.join(REPO_ROOT, test), 'utf8');
      // The test names the picture it publishes (its README path or file name) and publishes it.
      expect(source.includes(path.basename(picture)) || source.includes(picture), `${test} does not name ${picture}`).toBe(true);
      expect(source, `${test} does not call publishReadmePictures`).toContain('publishReadmePictures');
    }
  });

  it('are all shown somewhere (no stale declaration)', () => {
    expect(Object.keys(README_PICTURES).filter((p) => !shown.has(p))).toEqual([]);
  });
});
