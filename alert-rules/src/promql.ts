/** Small PromQL builders so every rule selects the exporter's series the same way. */
import { config, type ModelThresholds } from './config.js';

/** A raw exporter series: `name{job="modelwatch", extra...}`. */
export function series(name: string, ...matchers: string[]): string {
  return `${name}{${[config.exporterSelector, ...matchers.filter((m) => m !== '')].join(', ')}}`;
}

/** A recording-rule series, which already carries only the labels it was aggregated by. */
export function recorded(name: string, ...matchers: string[]): string {
  const ms = matchers.filter((m) => m !== '');
  return ms.length === 0 ? name : `${name}{${ms.join(', ')}}`;
}

export function indent(expr: string, by = 2): string {
  const pad = ' '.repeat(by);
  return expr
    .split('\n')
    .map((line) => (line === '' ? line : pad + line))
    .join('\n');
}

export function paren(expr: string): string {
  return expr.includes('\n') ? `(\n${indent(expr)}\n)` : `(${expr})`;
}

const MODEL_NAME = /^[A-Za-z0-9_.:-]+$/;

/** A regex alternation of model names, escaped for a double-quoted PromQL string. */
function modelAlternation(models: readonly string[]): string {
  return models
    .map((m) => {
      if (!MODEL_NAME.test(m)) throw new Error(`model name ${JSON.stringify(m)} in config.models is not a plain label value`);
      return m.replace(/\./g, '\\\\.');
    })
    .join('|');
}

/**
 * One threshold per model: each overridden value gets its own branch selecting its models,
 * and the default branch excludes them all, so no (model, version) is judged twice.
 * `build` receives a `model` matcher (empty when there are no overrides) and the threshold.
 */
export function perModel(key: keyof ModelThresholds, build: (modelMatcher: string, threshold: number) => string): string {
  const byValue = new Map<number, string[]>();
  for (const [model, overrides] of Object.entries(config.models)) {
    const value = overrides[key];
    if (value === undefined || value === config.defaults[key]) continue;
    byValue.set(value, [...(byValue.get(value) ?? []), model]);
  }
  const overridden = [...byValue.values()].flat().sort();
  if (overridden.length === 0) return build('', config.defaults[key]);
  const branches = [...byValue.entries()]
    .sort(([a], [b]) => a - b)
    .map(([value, models]) => build(`model=~"${modelAlternation(models.sort())}"`, value));
  branches.push(build(`model!~"${modelAlternation(overridden)}"`, config.defaults[key]));
  return branches.map(paren).join('\nor\n');
}

/** 0.15 -> "15", for prose in annotations (avoids 15.000000000000002). */
export function percent(ratio: number): string {
  return String(Math.round(ratio * 10_000) / 100);
}
