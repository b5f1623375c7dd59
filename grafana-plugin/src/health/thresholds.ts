/**
 * The alert rules' thresholds, read from the one file the rules are generated from
 * (alert-rules/src/config.ts), so the app's health states can never disagree with the alerts
 * on what "bad" means. Nothing here is re-typed: change a value there and both follow.
 */
import { config as rulesConfig, type ModelThresholds } from '../../../alert-rules/src/config';

export { rulesConfig };

/** The thresholds that apply to `model`: fleet defaults with its per-model overrides. */
export function thresholdsFor(model: string): ModelThresholds {
  return { ...rulesConfig.defaults, ...(rulesConfig.models[model] ?? {}) };
}
