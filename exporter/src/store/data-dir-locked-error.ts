// Apart from data-dir-lock.ts so that the CLI can recognise it without loading SQLite.
/**
 * Another exporter holds the data directory. `message` is one line for the operator: the
 * directory, the holder's pid and what to do.
 */
export class DataDirLockedError extends Error {
  constructor(
    readonly dir: string,
    readonly pid: number | undefined,
  ) {
    super(
      `data directory ${dir} is in use by another modelwatch exporter (pid ${pid ?? 'unknown'}); ` +
        'stop it first, or give this one its own MODELWATCH_DATA_DIR',
    );
    this.name = 'DataDirLockedError';
  }
}
