import { ThresholdsConfigBuilder, ThresholdsMode } from '@grafana/grafana-foundation-sdk/dashboard';

/** Colour steps: `null` is the base step below the first boundary. */
function steps(...s: Array<[number | null, string]>): ThresholdsConfigBuilder {
  return new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps(s.map(([value, color]) => ({ value, color })));
}

/** Accuracy and other "higher is better" ratios: red under the staging gate (0.80), orange under production's (0.85). */
export const higherIsBetterRatio = (): ThresholdsConfigBuilder => steps([null, 'red'], [0.8, 'orange'], [0.85, 'green']);

/** PSI bands from the design: < 0.1 stable, 0.1–0.25 moderate, >= 0.25 significant. */
export const psiBands = (): ThresholdsConfigBuilder => steps([null, 'green'], [0.1, 'orange'], [0.25, 'red']);

/** KS statistic and JS distance: small is similar; 0.1 / 0.2 mark noticeable and large shifts. */
export const distanceBands = (): ThresholdsConfigBuilder => steps([null, 'green'], [0.1, 'orange'], [0.2, 'red']);

/** Latency in seconds against the production gate (50 ms) and the staging gate (100 ms). */
export const latencySeconds = (): ThresholdsConfigBuilder => steps([null, 'green'], [0.05, 'orange'], [0.1, 'red']);

/** Error and data-quality ratios: 1 % worth a look, 5 % is an incident. */
export const badRatio = (): ThresholdsConfigBuilder => steps([null, 'green'], [0.01, 'orange'], [0.05, 'red']);

/** Counts where anything above zero needs attention (firing alerts, rollbacks). */
export const anyIsBad = (): ThresholdsConfigBuilder => steps([null, 'green'], [1, 'red']);

/** Counts of things that should be up (exporters): red at 0, green from 1, so "down" is a red 0. */
export const zeroIsBad = (): ThresholdsConfigBuilder => steps([null, 'red'], [1, 'green']);

export const neutral = (): ThresholdsConfigBuilder => steps([null, 'blue']);
