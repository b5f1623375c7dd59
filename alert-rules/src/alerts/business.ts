/** Business KPIs compared with their own recent past: a model can be "accurate" and still hurt. */
import { alert, withTeam } from '../alert.js';
import { config } from '../config.js';
import { metric } from '../metrics.js';
import { percent, series } from '../promql.js';
import type { AlertingRule, RuleGroup } from '../rule-types.js';

function kpiDrop(): AlertingRule {
  const kpi = series(metric('businessKpi'), `kpi=~"${config.business.kpiRegex}"`);
  const lastHour = `max by (model, kpi) (avg_over_time(${kpi}[1h]))`;
  const previousDay = `max by (model, kpi) (avg_over_time(${kpi}[1d] offset 1h))`;
  const keep = Math.round((1 - config.business.dropFraction) * 1e6) / 1e6;
  return alert({
    name: 'ModelwatchBusinessKPIDrop',
    severity: 'warning',
    for: config.for.businessKpi,
    expr: withTeam(`${lastHour}\n  < on (model, kpi)\n${keep} * ${previousDay}`),
    summary: 'A business KPI dropped well below its level of the previous day.',
    description:
      'KPI {{ $labels.kpi }} of {{ $labels.model }} averaged {{ $value | printf "%.4g" }} over the last hour, ' +
      `more than ${percent(config.business.dropFraction)}% below its mean over the day before.`,
  });
}

export function businessGroup(): RuleGroup<AlertingRule> {
  return { name: 'modelwatch-business', rules: [kpiDrop()] };
}
