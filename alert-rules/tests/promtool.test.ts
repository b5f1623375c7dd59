import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderAll } from '../src/generate.js';
import { GENERATED_DIR, PROMTOOL, promtoolTestFiles, requireBinary, run } from './helpers/tools.js';

const promtool = requireBinary(PROMTOOL, 'prometheus');

describe('promtool', () => {
  it('accepts the generated rule files (promtool check rules)', async () => {
    const files = Object.keys(renderAll()).map((f) => path.join(GENERATED_DIR, f));
    const result = await run(promtool, ['check', 'rules', ...files]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout.match(/SUCCESS/g)?.length).toBe(files.length);
  });

  it.each(promtoolTestFiles().map((f) => [path.basename(f), f]))(
    'passes the unit tests in %s (promtool test rules)',
    async (_name, file) => {
      const result = await run(promtool, ['test', 'rules', file]);
      expect(result.code, result.stdout + result.stderr).toBe(0);
      expect(result.stdout).toContain('SUCCESS');
    },
  );
});
