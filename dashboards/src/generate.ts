import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DASHBOARDS } from './dashboards/index.js';
import { renderDashboard } from './render.js';

/** Writes every dashboard to dashboards/generated/ (committed; a test fails when it is stale). */
export const GENERATED_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'generated');

fs.mkdirSync(GENERATED_DIR, { recursive: true });
for (const d of DASHBOARDS) {
  const file = path.join(GENERATED_DIR, d.file);
  fs.writeFileSync(file, renderDashboard(d.build()));
  process.stdout.write(`wrote ${path.relative(process.cwd(), file)}\n`);
}
