/** What bench/main.ts and its load-generator child process say to each other, and the ingest traffic they share. */
import { events, prng, referenceSample } from '../demo/synthetic-traffic.js';

const INGEST_SEED = 1;
export const INGEST_MODELS = 20;
export const INGEST_BODIES = 40;
export const EVENTS_PER_BATCH = 1000;

export type Command =
  | { type: 'ingest'; url: string; token: string; batches: number; warmup: number; concurrency: number }
  | { type: 'scrape'; url: string; token: string; count?: boolean; gzip?: boolean; openmetrics?: boolean };

export type Reply =
  | { type: 'ingest'; seconds: number; batches: number }
  | { type: 'scrape'; ms: number; bytes: number; series?: number; decodedBytes?: number }
  | { type: 'error'; message: string };

/**
 * The references and the prediction bodies of the ingest figure, from a fixed seed: the client
 * sends them and bench/main.ts rebuilds the same bodies for its JSON.parse baseline.
 */
export function ingestTraffic(): { references: string[]; bodies: string[] } {
  const rand = prng(INGEST_SEED);
  const references = Array.from({ length: INGEST_MODELS }, () => JSON.stringify(referenceSample(rand, 2000)));
  const bodies = Array.from({ length: INGEST_BODIES }, (_, b) =>
    JSON.stringify({ model: `bench-${b % INGEST_MODELS}`, version: 'v1', events: events(rand, EVENTS_PER_BATCH, `b${b}-`, 0.2, 0.5) }),
  );
  return { references, bodies };
}
