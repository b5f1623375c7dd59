import type { Stage } from './types';

/**
 * The exporter's stage machine (exporter/src/registry/stages.ts), used to offer only the moves
 * that can succeed. Archival has its own button; rollback is its own action. The exporter
 * still decides: a move it refuses comes back as a 409 and is shown as such.
 */
const FORWARD_AND_BACK: Record<Stage, readonly Stage[]> = {
  development: ['staging'],
  staging: ['production', 'development'],
  production: ['staging'],
  archived: ['development', 'staging'],
};

export function promotionTargets(from: Stage): readonly Stage[] {
  return FORWARD_AND_BACK[from];
}

export function canArchive(from: Stage): boolean {
  return from !== 'archived';
}
