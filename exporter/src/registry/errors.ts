import { ConflictError } from '../errors.js';

/**
 * A rollback named the version it meant to replace (`from_version`) and that version is no
 * longer in production: someone (or the same alert, firing again) already acted. A 409 for
 * the API; the alert receiver treats it as "already done", which makes repeats harmless.
 */
export class StaleRollbackError extends ConflictError {
  constructor(
    readonly model: string,
    readonly fromVersion: string,
    readonly currentProduction: string | null,
  ) {
    super(
      `${model} ${fromVersion} is no longer in production (current: ${currentProduction ?? 'none'}); nothing rolled back`,
      {
        from_version: fromVersion,
        current_production: currentProduction,
      },
      'MW_ERR_STALE_ROLLBACK',
    );
  }
}
