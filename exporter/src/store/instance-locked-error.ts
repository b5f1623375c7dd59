// Apart from instance-lock.ts so that the CLI can recognise it without loading pg.
/**
 * Another exporter holds the journal instance on this database. `message` is one line for the
 * operator: the instance, who holds it (as far as PostgreSQL tells) and what to do.
 */
export class InstanceLockedError extends Error {
  constructor(
    readonly instance: string,
    readonly holder: string | undefined,
  ) {
    super(
      `journal instance ${instance} is in use by another modelwatch exporter on this database (${holder ?? 'holder unknown'}); ` +
        'stop it first, or give this one its own MODELWATCH_INSTANCE',
    );
    this.name = 'InstanceLockedError';
  }
}
