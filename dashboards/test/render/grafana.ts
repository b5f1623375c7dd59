import { createRequire } from 'node:module';

/**
 * Grafana's own formatting code from @grafana/data (13.1, the version the app builds against), so
 * the pictures show units, threshold colours, value mappings and `noValue` exactly as Grafana
 * computes them rather than a re-typed imitation. Loaded file by file from the CommonJS build:
 * the package index also loads browser-only modules (a localStorage store) that fail in Node.
 */
const require = createRequire(import.meta.url);
// Grafana's date formats read navigator.language, which Node 20 lacks (Node 21 added it).
(globalThis as { navigator?: unknown }).navigator ??= { language: 'en-US', languages: ['en-US'] };
const base = require.resolve('@grafana/data').replace(/index\.cjs$/, '');

/** What Grafana's display processor returns for one value (field/displayProcessor.ts). */
export interface DisplayValue {
  text: string;
  numeric: number;
  prefix?: string;
  suffix?: string;
  color?: string;
}
export interface FormattedValue {
  text: string;
  prefix?: string;
  suffix?: string;
}
/** The subset of a panel's fieldConfig.defaults (or an override) Grafana's display processor reads. */
export interface FieldConfig {
  unit?: string;
  decimals?: number;
  min?: number;
  max?: number;
  noValue?: string;
  thresholds?: { mode: string; steps: Array<{ value: number | null; color: string }> };
  mappings?: unknown[];
  color?: { mode: string };
  displayName?: string;
  custom?: Record<string, unknown>;
}

const { getDisplayProcessor } = require(`${base}field/displayProcessor.cjs`) as {
  getDisplayProcessor(o: { field: { type: string; config: FieldConfig }; theme: unknown }): (v: unknown) => DisplayValue;
};
const { getValueFormat } = require(`${base}valueFormats/valueFormats.cjs`) as {
  getValueFormat(unit?: string): (value: number, decimals?: number) => FormattedValue;
};
const { createTheme } = require(`${base}themes/createTheme.cjs`) as {
  createTheme(): { visualization: { getColorByName(name: string): string }; colors: { background: { primary: string } } };
};
const { calculateInterval } = require(`${base}datetime/rangeutil.cjs`) as {
  calculateInterval(range: { from: number; to: number }, resolution: number, lowLimit?: string): { intervalMs: number; interval: string };
};

/** Grafana's default (dark) theme, as a dashboard shows it. */
export const theme = createTheme();

/**
 * Grafana stores thresholds' base step with `value: null`; the display processor expects -Infinity
 * there (the dashboard loader converts it, see Grafana's `DashboardModel` / `fieldOverrides.ts`).
 */
function loaded(config: FieldConfig): FieldConfig {
  if (!config.thresholds) return config;
  return {
    ...config,
    thresholds: { ...config.thresholds, steps: config.thresholds.steps.map((s) => ({ ...s, value: s.value ?? -Infinity })) },
  };
}

/** Value → text, suffix and colour as Grafana's display processor computes it for `config`. */
export function displayProcessor(config: FieldConfig): (value: number | null) => DisplayValue {
  const p = getDisplayProcessor({ field: { type: 'number', config: loaded(config) }, theme });
  return (v) => p(v);
}

/** Grafana's unit formatter (valueFormats.ts): `unit` undefined means Grafana's default ("none"-like). */
export const valueFormat = (unit?: string) => getValueFormat(unit);

export const text = (d: FormattedValue): string => `${d.prefix ?? ''}${d.text}${d.suffix ?? ''}`;

/** Grafana's `$__interval` computation (rangeutil.calculateInterval): range / resolution, rounded, ≥ lowLimit. */
export const interval = (fromMs: number, toMs: number, resolution: number, lowLimit: string) =>
  calculateInterval({ from: fromMs, to: toMs }, resolution, lowLimit);

/** Grafana's named colours ("green", "red", …) as the dark theme draws them. */
export const colorByName = (name: string): string => theme.visualization.getColorByName(name);
