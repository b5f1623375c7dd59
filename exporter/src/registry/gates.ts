import type { GatedStage, GateOverrides, Stage, StageGates, ValidationMetrics } from './types.js';

/** Defaults from the design guide; a model may override them per stage (admin, audited). */
export const DEFAULT_GATES: Readonly<Record<GatedStage, Readonly<StageGates>>> = {
  staging: { min_accuracy: 0.8, max_latency_ms: 100 },
  production: { min_accuracy: 0.85, max_latency_ms: 50 },
};

/** `min_accuracy`, `max_latency_ms`: a bound and the validation metric it applies to. */
export const GATE_NAME = /^(min|max)_([a-z][a-z0-9_]{0,63})$/;

export interface GateFailure {
  gate: string;
  metric: string;
  required: number;
  /** null when the version was registered without this metric. */
  actual: number | null;
}

export function isGatedStage(stage: Stage): stage is GatedStage {
  return stage === 'staging' || stage === 'production';
}

/** A stage present in the overrides replaces that stage's defaults entirely ({} = no gates). */
export function effectiveGates(overrides: GateOverrides | null): Record<GatedStage, StageGates> {
  return {
    staging: { ...(overrides?.staging ?? DEFAULT_GATES.staging) },
    production: { ...(overrides?.production ?? DEFAULT_GATES.production) },
  };
}

/** Every gate the metrics fail, not just the first: the caller fixes them all at once. */
export function evaluateGates(gates: StageGates, metrics: ValidationMetrics): GateFailure[] {
  const failures: GateFailure[] = [];
  for (const [gate, required] of Object.entries(gates).sort(([a], [b]) => a.localeCompare(b))) {
    const m = GATE_NAME.exec(gate);
    if (!m) continue;
    const [, bound, metric] = m;
    const actual = Object.hasOwn(metrics, metric) ? metrics[metric] : null;
    const ok = actual !== null && (bound === 'min' ? actual >= required : actual <= required);
    if (!ok) failures.push({ gate, metric, required, actual });
  }
  return failures;
}

export function describeFailure(f: GateFailure): string {
  if (f.actual === null) return `${f.metric} missing (${f.gate} ${f.required})`;
  return `${f.metric} ${f.actual} ${f.gate.startsWith('min_') ? '<' : '>'} ${f.required}`;
}
