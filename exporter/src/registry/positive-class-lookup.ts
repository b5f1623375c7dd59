import type { RegistryEvent } from './events.js';
import type { RegistryReads } from './ports.js';

/** How long a model's registered positive class is trusted before the store is read again. */
export const POSITIVE_CLASS_TTL_MS = 5_000;

/**
 * The model registry's positive class per model, as ingest needs it on every classification batch
 * (issue 11: request, reference profile or registry). Reads go to the store at most once per
 * model per POSITIVE_CLASS_TTL_MS; this replica's own registry changes take effect at once
 * (`onCommitted`), another replica's within the TTL. A failed read keeps the last known value
 * (undefined if none) and is reported to `onError`, so that a database hiccup does not stop
 * ingestion of models whose class is stated elsewhere.
 */
export class PositiveClassLookup {
  private readonly cache = new Map<string, { positive: string | undefined; at: number }>();

  constructor(
    private readonly reads: Pick<RegistryReads, 'getModel'>,
    private readonly now: () => number,
    private readonly onError: (model: string, err: unknown) => void,
  ) {}

  /** The registered positive class of `model`; undefined when the registry states none or lacks the model. */
  async get(model: string): Promise<string | undefined> {
    const hit = this.cache.get(model);
    const t = this.now();
    // A value read before the wall clock stepped back (NTP) is not fresh for the size of the step:
    // another replica's change would otherwise go unseen for that long.
    if (hit && t - hit.at >= 0 && t - hit.at < POSITIVE_CLASS_TTL_MS) return hit.positive;
    try {
      const positive = (await this.reads.getModel(model))?.positiveClass ?? undefined;
      this.cache.set(model, { positive, at: t });
      return positive;
    } catch (err) {
      this.onError(model, err);
      return hit?.positive;
    }
  }

  /** A RegistryListener: forgets what a committed change may have altered. */
  readonly onCommitted = (event: RegistryEvent): void => {
    if (event.type === 'model.positive_class_updated') this.cache.delete(event.model);
    else if (event.type === 'model.created') this.cache.delete(event.model.name);
    else if (event.type === 'model.deleted') this.cache.delete(event.retirement.model);
  };
}
