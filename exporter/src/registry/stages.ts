import { ConflictError } from '../errors.js';
import type { Stage } from './types.js';

/**
 * The stage machine. Forward one step at a time (a version reaches production only through
 * staging), back down for a re-check, and archival from anywhere. Returning an archived
 * version straight to production is what rollback is for, so it is not a transition.
 */
const ALLOWED: Record<Stage, readonly Stage[]> = {
  development: ['staging', 'archived'],
  staging: ['production', 'development', 'archived'],
  production: ['staging', 'archived'],
  archived: ['development', 'staging'],
};

export function assertTransitionAllowed(model: string, version: string, from: Stage, to: Stage): void {
  if (from === to) throw new ConflictError(`${model} ${version} is already in ${to}`, undefined, 'MW_ERR_TRANSITION_NOT_ALLOWED');
  if (!ALLOWED[from].includes(to)) {
    throw new ConflictError(
      `${model} ${version} cannot move from ${from} to ${to}; from ${from} it can go to ${ALLOWED[from].join(', ')}`,
      undefined,
      'MW_ERR_TRANSITION_NOT_ALLOWED',
    );
  }
}
