import { readFileSync } from 'node:fs';
import { z } from 'zod';

/** The retraining thresholds one model is judged by. */
export interface RetrainThresholds {
  /** The upper end of window accuracy's Wilson 95% interval below it recommends retraining. */
  minAccuracy: number;
  /** Feature or output PSI above it recommends retraining. */
  maxPsi: number;
}

/** Per-model overrides, keyed by the `model` label exactly. */
export type RetrainOverrides = Readonly<Record<string, Partial<RetrainThresholds>>>;

/**
 * The file `npm run generate -w @modelwatch/alert-rules` writes to
 * alert-rules/generated/retrain-thresholds.json from the rules' per-model `retrainAccuracyBelow` and
 * `retrainDriftPsiAbove`, so that `modelwatch_retrain_recommended` and the status verdict judge
 * each model by the thresholds its retraining alert uses (one source: the rules' config).
 * Unknown keys are refused: a misspelt threshold would otherwise be silently ignored.
 */
const fileSchema = z
  .object({
    models: z.record(
      z.string().min(1),
      z.object({ min_accuracy: z.number().min(0).max(1).optional(), max_psi: z.number().min(0).optional() }).strict(),
    ),
  })
  .strict();

/**
 * Reads per-model retraining thresholds from a JSON file shaped `{"models": {"<model>":
 * {"min_accuracy"?: 0–1, "max_psi"?: ≥ 0}}}`. Throws an Error naming the file and the first bad
 * field (the caller turns it into a ConfigError at start), never a partial result.
 */
export function readRetrainOverrides(file: string): RetrainOverrides {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`MODELWATCH_RETRAIN_THRESHOLDS_FILE ${file}: ${(err as Error).message}`);
  }
  const parsed = fileSchema.safeParse(raw);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new Error(`MODELWATCH_RETRAIN_THRESHOLDS_FILE ${file}: ${i.path.join('.') || '(root)'}: ${i.message}`);
  }
  return Object.fromEntries(
    Object.entries(parsed.data.models).map(([model, t]) => [
      model,
      {
        ...(t.min_accuracy !== undefined ? { minAccuracy: t.min_accuracy } : {}),
        ...(t.max_psi !== undefined ? { maxPsi: t.max_psi } : {}),
      },
    ]),
  );
}

/** The thresholds `model` is judged by: its overrides over the fleet-wide defaults. */
export function retrainThresholdsFor(retrain: RetrainThresholds & { models: RetrainOverrides }, model: string): RetrainThresholds {
  const own = Object.hasOwn(retrain.models, model) ? retrain.models[model] : undefined;
  return { minAccuracy: own?.minAccuracy ?? retrain.minAccuracy, maxPsi: own?.maxPsi ?? retrain.maxPsi };
}

/** Where `model`'s threshold `key` comes from, for a verdict's message: the env variable or the file. */
export function retrainThresholdSource(retrain: { models: RetrainOverrides }, model: string, key: keyof RetrainThresholds): string {
  const own = Object.hasOwn(retrain.models, model) ? retrain.models[model] : undefined;
  if (own?.[key] !== undefined)
    return `${model}'s ${key === 'minAccuracy' ? 'min_accuracy' : 'max_psi'} in MODELWATCH_RETRAIN_THRESHOLDS_FILE`;
  return key === 'minAccuracy' ? 'MODELWATCH_RETRAIN_MIN_ACCURACY' : 'MODELWATCH_RETRAIN_MAX_PSI';
}
