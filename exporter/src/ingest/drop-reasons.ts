/**
 * Why data was dropped or folded (modelwatch_dropped_total{reason}). A closed list, so the
 * counter's own cardinality is bounded; every reason is exposed from the start at 0.
 */
export const DROP_REASONS = [
  'model_limit', // events for a model beyond MODELWATCH_MAX_MODELS
  'version_folded', // events of a version beyond MODELWATCH_MAX_VERSIONS_PER_MODEL, counted under __other__
  'class_folded', // class names beyond MODELWATCH_MAX_CLASSES_PER_MODEL (or too long), folded into __other__
  'category_folded', // categories beyond MODELWATCH_MAX_CATEGORIES_PER_FEATURE, folded into __other__
  'error_reason_folded', // error reasons beyond MODELWATCH_MAX_ERROR_REASONS_PER_MODEL
  'kpi_limit', // KPI names beyond MODELWATCH_MAX_KPIS_PER_MODEL
  'feature_limit', // reference features beyond MODELWATCH_MAX_FEATURES_PER_MODEL
  'pending_evicted', // unlabeled predictions evicted from the join map before their label came
  'pending_expired', // unlabeled predictions that waited longer than MODELWATCH_PENDING_PREDICTION_SECONDS
  'prediction_expired', // a label for a prediction dropped as pending_expired (while its id is remembered)
  'outside_window', // events timestamped before the sliding window (counted, not windowed)
  'duplicate_id', // a prediction id seen before (pending with the same prediction, or already labelled): not counted again
  'duplicate_id_conflict', // a pending prediction id sent again with another prediction or score: the first is kept
  'duplicate_label', // a label for an id that already has one (in the batch, or joined earlier)
  'label_expired', // a label held for its prediction longer than MODELWATCH_HELD_LABEL_SECONDS
  'label_evicted', // a held label pushed out by MODELWATCH_HELD_LABELS_PER_MODEL / _TOTAL
  'label_not_numeric', // a label held before its model's task was known, not a number, met by a regression prediction
] as const;

export type DropReason = (typeof DROP_REASONS)[number];

export class DropCounter {
  readonly counts = new Map<DropReason, number>(DROP_REASONS.map((r) => [r, 0]));

  add(reason: DropReason, n = 1): void {
    if (n > 0) this.counts.set(reason, (this.counts.get(reason) ?? 0) + n);
  }
}

/** Per-request tally, returned to the client in the response. */
export type DropTally = Partial<Record<DropReason, number>>;

/**
 * Counts a drop both in the process-wide counter and in the current request's tally. `name`:
 * what was folded (the class name, for `class_folded`), listed in the response.
 */
export type Drop = (reason: DropReason, n?: number, name?: string) => void;
