import { describe, expect, it } from 'vitest';
import { loadGeneratedDashboards, panelAndAnnotationQueries, variableQuery, parseLabelValues } from './helpers/dashboard-queries.js';
import { PROMETHEUS_BUILTINS, catalogSeries, processSeries, recordingRuleNames } from './helpers/known-metrics.js';
import { metricNames } from './helpers/promql-names.js';

describe('metricNames (the lexer the catalog check relies on)', () => {
  it('finds metrics and skips functions, keywords, labels, durations and strings', () => {
    expect(
      metricNames(
        'histogram_quantile(0.99, sum by (model, le) (rate(modelwatch_prediction_latency_seconds_bucket{model="a b", le!="x_y"}[5m])))',
      ),
    ).toEqual(['modelwatch_prediction_latency_seconds_bucket']);
    expect(
      metricNames(
        '(sum by (model) (rate(a_total[5m])) or 0 * max by (model) (b_info)) / ignoring (reason) group_left c:rec:rate5m offset 1m',
      ),
    ).toEqual(['a_total', 'b_info', 'c:rec:rate5m']);
    expect(metricNames('count(x >= 0.25) or vector(0)')).toEqual(['x']);
    expect(metricNames('ALERTS{alertstate="firing"} and on (instance, job) up')).toEqual(['ALERTS', 'up']);
  });
});

describe('every metric a dashboard names', () => {
  it('is in the exporter catalog, the alert-rules recording rules, prom-client defaults or Prometheus built-ins', async () => {
    const known = new Set([...catalogSeries(), ...(await processSeries()), ...recordingRuleNames(), ...PROMETHEUS_BUILTINS]);
    const unknown: string[] = [];
    let seen = 0;
    for (const d of loadGeneratedDashboards()) {
      const exprs = panelAndAnnotationQueries(d).map((q) => [q.key, q.expr] as const);
      for (const v of d.templating.list) {
        const q = variableQuery(v);
        if (v.type === 'query' && q) exprs.push([`${d.uid} / variable ${v.name}`, parseLabelValues(q).selector]);
      }
      for (const [key, expr] of exprs) {
        for (const name of metricNames(expr)) {
          seen++;
          if (!known.has(name)) unknown.push(`${key}: ${name}`);
        }
      }
    }
    expect(unknown).toEqual([]);
    expect(seen).toBeGreaterThan(100);
  });
});
