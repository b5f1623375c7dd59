/* In-process figures of the ingest path (`npm run bench`, BENCH_ONLY=ingest): the parts a
 * predictions request spends its server time in, each with its ratio to JSON.parse of the same
 * bodies measured in the same run. */
import { loadConfig } from '../config/config.js';
import { duplicateKeyOf, findDuplicateKey } from '../http/duplicate-keys.js';
import { Monitor } from '../ingest/monitor.js';
import { buildReferenceProfile } from '../ingest/reference-profile.js';
import type { PredictionsBody } from '../ingest/schemas.js';
import { EVENTS_PER_BATCH, INGEST_MODELS, ingestTraffic } from './client-protocol.js';

const ROUNDS = 5;

/**
 * Events per CPU-second of `f` run over `n` batches, median of ROUNDS rounds after one warm-up.
 * CPU time, not wall time: on a shared machine the ratios then hold under load.
 */
function rate(n: number, f: (i: number) => void): number {
  const rates: number[] = [];
  for (let round = 0; round <= ROUNDS; round++) {
    const a = process.cpuUsage();
    for (let i = 0; i < n; i++) f(i);
    const used = process.cpuUsage(a);
    if (round > 0) rates.push((n * EVENTS_PER_BATCH) / ((used.user + used.system) / 1e6));
  }
  return rates.sort((x, y) => x - y)[Math.floor(rates.length / 2)];
}

/** Monitor.applyPredictions over the HTTP figure's bodies, parsed beforehand; fresh ids each round. */
function applyRate(bodies: PredictionsBody[], references: string[], env: Record<string, string>): number {
  const config = loadConfig({ MODELWATCH_LOG_LEVEL: 'silent', ...env });
  let now = Date.UTC(2030, 0, 1);
  const monitor = new Monitor(config, () => now);
  for (let m = 0; m < INGEST_MODELS; m++) {
    const { profile } = buildReferenceProfile(JSON.parse(references[m]), {
      maxFeatures: config.limits.maxFeaturesPerModel,
      maxCategories: config.limits.maxCategoriesPerFeature,
    });
    monitor.applyReference(`bench-${m}`, 'v1', profile!);
  }
  // Three bucket intervals of traffic first, so that ROC AUC's quantile grids have both started
  // (stats/quantile-grid.ts) and count every score, as they do in steady traffic.
  for (let warm = 0; warm < 3; warm++) {
    for (const b of bodies) monitor.applyPredictions({ ...b, events: b.events.map((e) => ({ ...e, id: `w${warm}-${e.id}` })) });
    now += config.sketchResolutionSeconds * 1000;
  }
  let round = 0;
  return rate(bodies.length * 4, (i) => {
    if (i === 0) round++;
    const b = bodies[i % bodies.length];
    const r = `r${round}-${Math.floor(i / bodies.length)}-`;
    now += 10; // stays within one window bucket for the whole figure
    monitor.applyPredictions({ ...b, events: b.events.map((e) => ({ ...e, id: r + String(e.id) })) });
  });
}

export function ingestPathFigures(out: (s: string) => void, fmt: (n: number) => string): void {
  const { references, bodies } = ingestTraffic();
  const buffers = bodies.map((b) => Buffer.from(b));
  const parsed = bodies.map((b) => JSON.parse(b) as PredictionsBody);
  const parse = rate(bodies.length, (i) => JSON.parse(bodies[i]));
  const scan = rate(bodies.length, (i) => findDuplicateKey(buffers[i]));
  const count = rate(bodies.length, (i) => duplicateKeyOf(buffers[i], parsed[i]));
  // The id copies are made outside the timed part's ratio: measured alone, then subtracted.
  const copy = rate(bodies.length * 4, (i) => {
    const b = parsed[i % parsed.length];
    return b.events.map((e) => ({ ...e, id: `x${i}` + String(e.id) }));
  });
  const net = (r: number) => 1 / (1 / r - 1 / copy);
  const apply = net(applyRate(parsed, references, {}));
  const noRecent = net(applyRate(parsed, references, { MODELWATCH_RECENT_IDS_PER_MODEL: '1' }));
  out(`ingest path in-process, events per CPU-second (${fmt(EVENTS_PER_BATCH)}-event batches x 20 features, half labelled):`);
  out(`  baseline JSON.parse: ${fmt(parse)} ev/CPU-s`);
  out(
    `  duplicate-key walk (findDuplicateKey, names the key): ${fmt(scan)} ev/CPU-s; cost ratio to JSON.parse = ${(parse / scan).toFixed(3)}`,
  );
  out(
    `  duplicate-key check on every request (duplicateKeyOf: keys in text vs parsed): ${fmt(count)} ev/CPU-s; cost ratio to JSON.parse = ${(parse / count).toFixed(3)}`,
  );
  out(`  Monitor.applyPredictions: ${fmt(apply)} ev/CPU-s; cost ratio to JSON.parse = ${(parse / apply).toFixed(3)}`);
  out(
    `  the same with MODELWATCH_RECENT_IDS_PER_MODEL=1 (joined ids barely remembered): ${fmt(noRecent)} ev/CPU-s; ratio default/this = ${(apply / noRecent).toFixed(3)}`,
  );
}
