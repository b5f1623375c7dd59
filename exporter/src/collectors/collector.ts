import type { Logger } from '../logger.js';
import { CATALOG } from '../metrics/catalog.js';
import { ExpositionWriter, type ExpositionFormat } from './exposition-writer.js';

/**
 * The one contract every part of /metrics follows: at scrape time a collector writes its
 * families into the exposition writer, from the state it reads. Like node_exporter's
 * `Collector.Update(ch)` and prom-client's `collect()`, nothing is pushed between scrapes;
 * unlike prom-client's registry, the writer is the only thing that formats text, so every
 * family gets the same OpenMetrics/text treatment.
 *
 * Rules: a collector writes each family it owns once per scrape, and reading must not change
 * the state it reports (the windows advance from the clock, see ingest/window-clock.ts). A
 * collector that throws loses this scrape's families (and only its own); the scrape goes on
 * and counts it in modelwatch_scrape_errors_total{collector}.
 */
export interface Collector {
  /** The `collector` label of modelwatch_scrape_errors_total: short, fixed, snake_case. */
  readonly name: string;
  collect(out: ExpositionWriter): void | Promise<void>;
}

/**
 * Scrape failures, by collector: what could not be rendered is left out of the body rather
 * than failing it for everyone (issue 11), and counted here. Each distinct failure is logged
 * once (a broken version would otherwise log at every scrape).
 */
export class ScrapeErrors implements Collector {
  readonly name = 'scrape_errors';
  private readonly counts = new Map<string, number>();
  private readonly logged = new Set<string>();

  constructor(private readonly log: Logger) {}

  /** Creates `collector`'s series at zero, so `increase()` sees its first failure rather than a series appearing. */
  expect(collector: string): void {
    if (!this.counts.has(collector)) this.counts.set(collector, 0);
  }

  /**
   * Counts one failure of `collector`; logs it the first time `key` (e.g. the version that
   * failed) fails with this message.
   */
  failed(collector: string, err: unknown, key = collector, detail: Record<string, unknown> = {}): void {
    this.counts.set(collector, (this.counts.get(collector) ?? 0) + 1);
    const message = err instanceof Error ? err.message : String(err);
    const id = `${collector}\u0000${key}\u0000${message}`;
    if (this.logged.has(id)) return;
    if (this.logged.size < 10_000) this.logged.add(id);
    this.log.error({ err, collector, ...detail }, 'left out of /metrics: rendering failed (counted in modelwatch_scrape_errors_total)');
  }

  count(collector: string): number {
    return this.counts.get(collector) ?? 0;
  }

  collect(out: ExpositionWriter): void {
    out.family(CATALOG.scrapeErrors);
    for (const [collector, n] of this.counts) out.sample({ collector }, n);
  }
}

/**
 * /metrics: the collectors, in the order the body lists them, rendered one after the other,
 * then the scrape errors, last so that their counts include the scrape they are part of.
 */
export class Exposition {
  constructor(
    private readonly collectors: readonly Collector[],
    private readonly errors: ScrapeErrors,
  ) {
    const names = [...collectors, errors].map((c) => c.name);
    if (new Set(names).size !== names.length) throw new Error(`collector names must be unique: ${names.join(', ')}`);
    for (const c of collectors) errors.expect(c.name);
  }

  /**
   * One scrape: the body as chunks of bytes, and its content type. The collectors run
   * concurrently, each into a writer of its own (their reads of the store wait together, not
   * one after the other, e.g. behind a checkpoint), and are appended in list order.
   */
  async render(format: ExpositionFormat): Promise<{ contentType: string; chunks: Buffer[] }> {
    const parts = await Promise.all(
      this.collectors.map(async (c) => {
        const part = new ExpositionWriter(format);
        try {
          await c.collect(part);
          return { c, part };
        } catch (err) {
          this.errors.failed(c.name, err);
          return undefined;
        }
      }),
    );
    const out = new ExpositionWriter(format);
    for (const p of parts) {
      if (!p) continue;
      try {
        out.append(p.part);
      } catch (err) {
        this.errors.failed(p.c.name, err);
      }
    }
    this.errors.collect(out);
    return { contentType: out.contentType, chunks: out.finish() };
  }

  /** The text-format body as a string (tests, the CLI). */
  async metrics(format: ExpositionFormat = 'prometheus'): Promise<string> {
    return Buffer.concat((await this.render(format)).chunks).toString('utf8');
  }
}
