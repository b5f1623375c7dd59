import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const EXPORTER = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** Lints `code` as if it were the file at `file` (relative to exporter/), with the repo's config. */
async function lint(file: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: EXPORTER });
  const [result] = await eslint.lintText(code, { filePath: path.join(EXPORTER, file) });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

/** The layer rule of eslint.config.js, which `npm run lint` runs. */
describe('layer rule', () => {
  it('fails an upward import', async () => {
    expect(
      await lint('src/ingest/upward.ts', "import type { HttpContext } from '../http/context.js';\nexport type X = HttpContext;\n"),
    ).toEqual([expect.stringMatching(/layer rule: src\/ingest\|registry\|auth must not import from src\/http/)]);
    expect(await lint('src/stats/upward.ts', "import { Monitor } from '../ingest/monitor.js';\nexport const m = Monitor;\n")).toHaveLength(
      1,
    );
    expect(
      await lint('src/collectors/upward.ts', "import type { AppOptions } from '../http/create-app.js';\nexport type X = AppOptions;\n"),
    ).toHaveLength(1);
  });

  it('allows imports from the same layer and below', async () => {
    expect(await lint('src/http/down.ts', "import { Monitor } from '../ingest/monitor.js';\nexport const m = Monitor;\n")).toEqual([]);
    expect(
      await lint('src/ingest/down.ts', "import { SlidingWindow } from '../windows/sliding-window.js';\nexport const w = SlidingWindow;\n"),
    ).toEqual([]);
  });
});
