/**
 * The one rule for the positive class of binary scores, used by ingest (predictions), reference
 * uploads and the label-free estimate's calibration. A binary `score` is P(positive class), so
 * sklearn's binary metrics (`roc_auc_score(y == pos, score)`, `precision_score(pos_label=pos)`,
 * `log_loss`) need that class. It is stated (`positive_class`) or, only when the class names
 * cannot mean anything else, inferred: the names (as strings: JSON 0 and "0" are one class)
 * must all lie in one of the pairs below, and the positive class is the pair's second.
 * Anything else (e.g. "yes"/"no", "churn"/"stay") needs `positive_class`: a class is never
 * invented.
 */
export const UNAMBIGUOUS_BINARY_CLASSES: ReadonlyArray<readonly [negative: string, positive: string]> = [
  ['0', '1'],
  ['false', 'true'],
];

/** The rule in words, for 400 messages and docs. */
export const POSITIVE_CLASS_RULE =
  'binary scores are P(positive class): state it with positive_class (in the request, the reference upload or the model registry), ' +
  'or use labels {0, 1}, {"0", "1"} or {false, true}, from which the positive class (1, "1", true) is inferred';

/**
 * The positive class the names imply, or undefined when they do not say. `names` are class
 * names as strings (predictions and labels); an empty set implies nothing.
 */
export function inferPositiveClass(names: Iterable<string>): string | undefined {
  const distinct = new Set(names);
  if (distinct.size === 0) return undefined;
  for (const [negative, positive] of UNAMBIGUOUS_BINARY_CLASSES) {
    let all = true;
    for (const n of distinct) if (n !== negative && n !== positive) all = false;
    if (all) return positive;
  }
  return undefined;
}
