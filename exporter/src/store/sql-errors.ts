import { ConflictError } from '../errors.js';

interface DriverError {
  code?: unknown;
  constraint?: unknown;
  message?: unknown;
}

const PRODUCTION_INDEX = 'model_versions_one_production';

/**
 * Turns the database's refusals into domain conflicts: a unique violation (PostgreSQL 23505,
 * SQLite SQLITE_CONSTRAINT_UNIQUE/PRIMARYKEY) is a lost race or a duplicate, a serialization
 * failure or deadlock is a lost race. Anything else is rethrown untouched.
 */
export function asConflict(err: unknown): unknown {
  if (!err || typeof err !== 'object') return err;
  const e = err as DriverError;
  const code = typeof e.code === 'string' ? e.code : '';
  const message = typeof e.message === 'string' ? e.message : '';
  const unique = code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
  if (unique) {
    const onProduction = e.constraint === PRODUCTION_INDEX || /model_versions\.model$/.test(message);
    return new ConflictError(
      onProduction
        ? 'another version of this model is already in production (a concurrent change won); retry'
        : 'already exists (a concurrent change may have created it)',
    );
  }
  if (code === '40001' || code === '40P01' || code === 'SQLITE_BUSY') {
    return new ConflictError('the registry was changed concurrently; retry');
  }
  return err;
}
