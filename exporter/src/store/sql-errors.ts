import { ConflictError, InvalidInputError } from '../errors.js';

interface DriverError {
  code?: unknown;
  constraint?: unknown;
  message?: unknown;
}

const PRODUCTION_INDEX = 'model_versions_one_production';

/**
 * PostgreSQL's refusals of a value's bytes or size: 22021 character_not_in_repertoire (invalid
 * UTF-8, NUL), 22P05 untranslatable_character, 22001 string_data_right_truncation, 22003
 * numeric_value_out_of_range, 54000 program_limit_exceeded (an index row too large).
 */
const BAD_BYTES = new Set(['22021', '22P05', '22001', '22003', '54000']);

/**
 * Turns the database's refusals into domain conflicts: a unique violation (PostgreSQL 23505,
 * SQLite SQLITE_CONSTRAINT_UNIQUE/PRIMARYKEY) is a lost race or a duplicate, a serialization
 * failure or deadlock is a lost race; a value the database cannot hold is invalid input (400).
 * Anything else is rethrown untouched.
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
      undefined,
      onProduction ? 'MW_ERR_CONCURRENT_CHANGE' : 'MW_ERR_ALREADY_EXISTS',
    );
  }
  if (code === '40001' || code === '40P01' || code === 'SQLITE_BUSY') {
    return new ConflictError('the registry was changed concurrently; retry', undefined, 'MW_ERR_CONCURRENT_CHANGE');
  }
  if (BAD_BYTES.has(code)) {
    // The text rule (text-rule.ts) keeps such bytes out at the boundary; should any get past
    // it, the caller sent them and gets a 400, not a 500.
    return new InvalidInputError(`the database refused a value: ${message.slice(0, 200)}`);
  }
  return err;
}
