import { RowBuilder, type Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { modelwatchDashboard } from '../shared/dashboard.js';
import { UIDS, appModelPageLink, modelPageDataLink } from '../shared/links.js';
import { barGauge, stat, timeseries } from '../shared/panels.js';
import { prom } from '../shared/query.js';
import { accuracyBands, errorRatio, latencySeconds, neutral, psiBands } from '../shared/thresholds.js';
import { datasourceVariable, modelVariable, versionVariable } from '../shared/variables.js';

const toModelPage = [modelPageDataLink('${model}')];

/** The same expression for both versions: champion is query A, challenger query B. */
function sideBySide(expr: (version: string) => string): ReturnType<typeof prom>[] {
  return [
    prom('A', expr('$champion'), { legend: 'champion $champion' }),
    prom('B', expr('$challenger'), { legend: 'challenger $challenger' }),
  ];
}

const sel = (version: string, extra = ''): string => `model="$model", version="${version}"${extra}`;

export function versionComparison(): Dashboard {
  return modelwatchDashboard(
    UIDS.versionComparison,
    'modelwatch / Version comparison',
    'Champion vs challenger (or canary): the same quality, drift and serving metrics for two versions of one model, side by side, to decide a promotion or a rollback.',
  )
    .withVariable(datasourceVariable())
    .withVariable(modelVariable())
    .withVariable(versionVariable('champion', 'Champion').description('Usually the production version.'))
    .withVariable(versionVariable('challenger', 'Challenger / canary').description('The version being evaluated against the champion.'))
    .link(appModelPageLink())
    .withRow(new RowBuilder('Now'))
    .withPanel(
      stat({
        title: 'Accuracy: champion vs challenger',
        description: 'Window accuracy of both versions.',
        queries: sideBySide((v) => `modelwatch_model_accuracy_ratio{${sel(v)}}`).map((q) => q.instant()),
        unit: 'percentunit',
        thresholds: accuracyBands(),
        links: toModelPage,
        width: 8,
      }),
    )
    .withPanel(
      stat({
        title: 'Accuracy delta (challenger − champion)',
        description:
          'In percentage points (pp) on the live window: +2 pp means the challenger is right on 2 more events in 100. Positive: the challenger is better.',
        queries: [
          // A difference of two ratios is in percentage points, not a percentage: "+2%" would read
          // as 2% better relative to the champion. Grafana has no pp unit, so ×100 with a suffix.
          prom(
            'A',
            `100 * (modelwatch_model_accuracy_ratio{${sel('$challenger')}} - ignoring (version) modelwatch_model_accuracy_ratio{${sel('$champion')}})`,
            { instant: true },
          ),
        ],
        unit: 'suffix:pp',
        thresholds: neutral(),
        width: 8,
        links: toModelPage,
      }),
    )
    .withPanel(
      stat({
        title: 'Validation accuracy at registration',
        description: 'Accuracy each version recorded on its validation set when it was registered.',
        queries: sideBySide((v) => `modelwatch_model_validation_accuracy_ratio{${sel(v)}}`).map((q) => q.instant()),
        unit: 'percentunit',
        thresholds: accuracyBands(),
        width: 8,
        links: toModelPage,
      }),
    )
    .withRow(new RowBuilder('Quality'))
    .withPanel(
      timeseries({
        title: 'Accuracy',
        description: 'Window accuracy.',
        queries: sideBySide((v) => `modelwatch_model_accuracy_ratio{${sel(v)}}`),
        unit: 'percentunit',
        min: 0,
        max: 1,
        thresholds: accuracyBands(),
        links: toModelPage,
      }),
    )
    .withPanel(
      timeseries({
        title: 'F1 (macro)',
        description: 'Macro-averaged F1 over the window.',
        queries: sideBySide((v) => `modelwatch_model_f1_averaged_score{${sel(v, ', average="macro"')}}`),
        unit: 'percentunit',
        min: 0,
        max: 1,
        links: toModelPage,
      }),
    )
    .withPanel(
      timeseries({
        title: 'ROC AUC',
        description: 'Window ROC AUC.',
        queries: sideBySide((v) => `modelwatch_model_roc_auc{${sel(v)}}`),
        min: 0.5,
        max: 1,
        links: toModelPage,
      }),
    )
    .withPanel(
      timeseries({
        title: 'Log loss',
        description: 'Window log loss; lower is better.',
        queries: sideBySide((v) => `modelwatch_model_log_loss{${sel(v)}}`),
        min: 0,
        links: toModelPage,
      }),
    )
    .withPanel(
      timeseries({
        title: 'MAE',
        description: 'Regression mean absolute error; lower is better.',
        queries: sideBySide((v) => `modelwatch_model_mae{${sel(v)}}`),
        min: 0,
        links: toModelPage,
      }),
    )
    .withPanel(
      timeseries({
        title: 'RMSE',
        description: 'Regression root mean squared error; lower is better.',
        queries: sideBySide((v) => `modelwatch_model_rmse{${sel(v)}}`),
        min: 0,
        links: toModelPage,
      }),
    )
    .withRow(new RowBuilder('Serving'))
    .withPanel(
      timeseries({
        title: 'Latency p99',
        description: 'p99 serving latency.',
        queries: sideBySide(
          (v) => `histogram_quantile(0.99, sum by (le) (rate(modelwatch_prediction_latency_seconds_bucket{${sel(v)}}[$__rate_interval])))`,
        ),
        unit: 's',
        min: 0,
        thresholds: latencySeconds(),
        links: toModelPage,
        width: 8,
      }),
    )
    .withPanel(
      timeseries({
        title: 'Error rate',
        description: 'Share of predictions that failed at the model server.',
        queries: sideBySide(
          (v) =>
            `(sum(rate(modelwatch_prediction_errors_total{${sel(v)}}[$__rate_interval])) or vector(0)) / sum(rate(modelwatch_predictions_total{${sel(v)}}[$__rate_interval]))`,
        ),
        unit: 'percentunit',
        min: 0,
        thresholds: errorRatio(),
        links: toModelPage,
        width: 8,
      }),
    )
    .withPanel(
      timeseries({
        title: 'Traffic',
        description: 'Predictions per second — the canary split.',
        queries: sideBySide((v) => `sum(rate(modelwatch_predictions_total{${sel(v)}}[$__rate_interval]))`),
        unit: 'reqps',
        min: 0,
        width: 8,
      }),
    )
    .withRow(new RowBuilder('Drift'))
    .withPanel(
      barGauge({
        title: 'Feature PSI: champion',
        description: 'PSI per feature for the champion, highest first.',
        queries: [prom('A', `sort_desc(modelwatch_feature_psi{${sel('$champion')}})`, { instant: true, legend: '{{feature}}' })],
        min: 0,
        max: 0.5,
        thresholds: psiBands(),
        width: 8,
        links: toModelPage,
      }),
    )
    .withPanel(
      barGauge({
        title: 'Feature PSI: challenger',
        description: 'PSI per feature for the challenger, highest first.',
        queries: [prom('A', `sort_desc(modelwatch_feature_psi{${sel('$challenger')}})`, { instant: true, legend: '{{feature}}' })],
        min: 0,
        max: 0.5,
        thresholds: psiBands(),
        width: 8,
        links: toModelPage,
      }),
    )
    .withPanel(
      timeseries({
        title: 'Prediction (output) PSI',
        description: 'Output drift of both versions against their references.',
        queries: sideBySide((v) => `modelwatch_prediction_psi{${sel(v)}}`),
        min: 0,
        thresholds: psiBands(),
        width: 8,
        height: 9,
        links: toModelPage,
      }),
    )
    .build();
}
