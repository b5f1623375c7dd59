import type { ModelRetirement, ModelView, RollbackResult, TransitionResult } from './service.js';
import type { GateOverrides, VersionRecord } from './types.js';

/**
 * A change the registry committed, with the domain result the caller also received. Emitted
 * once per committed audited write, after its transaction committed; a write that failed or
 * rolled back emits nothing.
 */
export type RegistryEvent =
  | { type: 'model.created'; model: ModelView }
  | { type: 'version.registered'; version: VersionRecord }
  | { type: 'version.transitioned'; transition: TransitionResult }
  | { type: 'model.rolled_back'; rollback: RollbackResult }
  | { type: 'model.gates_updated'; model: string; overrides: GateOverrides | null }
  | { type: 'model.positive_class_updated'; model: string; positiveClass: string | null }
  | { type: 'model.archived'; retirement: ModelRetirement }
  | { type: 'model.deleted'; retirement: ModelRetirement };

/**
 * Told of every committed change (RegistryService.onCommitted). It runs after the commit, so it
 * cannot undo the change: it must not throw (a throw is caught so that the caller still gets
 * the committed result) and should hand slow work off rather than await it.
 */
export type RegistryListener = (event: RegistryEvent) => void;
