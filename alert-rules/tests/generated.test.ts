import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderGenerated, staleFiles } from '../src/generate.js';
import { GENERATED_DIR } from './helpers/tools.js';

describe('generated rule files', () => {
  it('are committed exactly as the TypeScript generates them', () => {
    // Compare file by file so a failure shows the diff, then the summary the CLI's --check uses.
    for (const [name, text] of Object.entries(renderGenerated())) {
      expect(
        readFileSync(path.join(GENERATED_DIR, name), 'utf8'),
        `${name} is stale: run npm run generate -w @modelwatch/alert-rules`,
      ).toBe(text);
    }
    expect(staleFiles()).toEqual([]);
  });

  it('are reported stale when a committed file differs', () => {
    expect(staleFiles('/nonexistent-dir')).toEqual(Object.keys(renderGenerated()));
  });
});
