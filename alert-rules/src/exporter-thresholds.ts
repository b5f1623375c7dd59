/**
 * The per-model retraining thresholds the exporter's `modelwatch_retrain_recommended` gauge and
 * status verdict must share with ModelwatchRetrainingRecommended. The exporter reads this file
 * through MODELWATCH_RETRAIN_THRESHOLDS_FILE (exporter/src/config/retrain-thresholds.ts), so a
 * per-model override is written once, in config.ts, and both sides judge by it.
 */
import type { RulesConfig } from './config.js';

export const RETRAIN_THRESHOLDS_FILE = 'retrain-thresholds.json';

/** `{"models": {"<model>": {"min_accuracy"?, "max_psi"?}}}` for every model overriding either threshold. */
export function renderRetrainThresholds(config: RulesConfig): string {
  const models: Record<string, { min_accuracy?: number; max_psi?: number }> = {};
  for (const [model, t] of Object.entries(config.models)) {
    const own = {
      ...(t.retrainAccuracyBelow !== undefined ? { min_accuracy: t.retrainAccuracyBelow } : {}),
      ...(t.retrainDriftPsiAbove !== undefined ? { max_psi: t.retrainDriftPsiAbove } : {}),
    };
    if (Object.keys(own).length > 0) models[model] = own;
  }
  return `${JSON.stringify({ models }, null, 2)}\n`;
}
