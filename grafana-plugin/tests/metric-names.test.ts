import fs from 'node:fs';
import path from 'node:path';
import { LIVE_QUERIES } from '../src/api/liveQueries';
import { versionNumberQueries } from '../src/api/versionQueries';
import { incidentCharts } from '../src/incident/queries';

const ALL_QUERIES: Array<[string, string]> = [
  ...Object.entries(LIVE_QUERIES),
  ...incidentCharts('m').flatMap((c) => c.queries.map((q) => [`incident ${q.refId}`, q.expr] as [string, string])),
  ...Object.entries(versionNumberQueries('m')).map(([k, e]) => [`rollback ${k}`, e] as [string, string]),
];

// The live-metric queries must use names from the exporter's one catalog.
const catalog = fs.readFileSync(path.join(__dirname, '..', '..', 'exporter', 'src', 'metrics', 'catalog.ts'), 'utf8');
const declared = new Set([...catalog.matchAll(/spec\(\s*'([a-z_]+)'/g)].map((m) => m[1]));

describe('live metric queries', () => {
  it('found the catalog', () => {
    expect(declared.size).toBeGreaterThan(10);
  });

  it.each(ALL_QUERIES)('%s uses only catalogued metrics', (_name, expr) => {
    const used = [...expr.matchAll(/\b(modelwatch_[a-z_]+)/g)].map((m) => m[1].replace(/_(bucket|sum|count)$/, ''));
    expect(used.length).toBeGreaterThan(0);
    for (const name of used) expect(declared).toContain(name);
  });
});
