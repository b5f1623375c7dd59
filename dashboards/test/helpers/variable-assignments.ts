import type { RunningPrometheus } from '@modelwatch/test-support';
import { parseLabelValues, variableQuery, type DashboardJson } from './dashboard-queries.js';
import { regexAlternation, substitute } from './substitute.js';

/**
 * Every assignment of the dashboard's variables worth trying: one per model (a classification panel
 * needs a classification model, a regression panel a regression one). Multi/All variables take all
 * values as Grafana renders them; champion/challenger take the first and last version.
 */
export async function variableAssignments(
  d: DashboardJson,
  prom: Pick<RunningPrometheus, 'labelValues'>,
): Promise<Array<Record<string, string>>> {
  let assignments: Array<Record<string, string>> = [{}];
  for (const v of d.templating.list) {
    if (v.type !== 'query') continue;
    const q = variableQuery(v);
    if (!q) throw new Error(`${d.uid} variable ${v.name} has no query`);
    const { selector, label } = parseLabelValues(q);
    const next: Array<Record<string, string>> = [];
    for (const a of assignments) {
      const values = await prom.labelValues(label, substitute(selector, a));
      if (values.length === 0) throw new Error(`${d.uid} variable ${v.name} (${q}) has no values for ${JSON.stringify(a)}`);
      if (v.includeAll) next.push({ ...a, [v.name]: (v as { allValue?: string }).allValue || regexAlternation(values) });
      else if (v.name === 'model') for (const value of values) next.push({ ...a, model: value });
      else if (v.name === 'challenger') next.push({ ...a, [v.name]: values[values.length - 1] });
      else next.push({ ...a, [v.name]: values[0] });
    }
    assignments = next;
  }
  return assignments;
}

/**
 * What each query variable selects under `vars`: the label it lists (`label_values(selector, label)`)
 * and the values a panel may show for it — every value Grafana offers for an All/multi variable,
 * else the one chosen.
 */
export async function variableSelections(
  d: DashboardJson,
  vars: Record<string, string>,
  prom: Pick<RunningPrometheus, 'labelValues'>,
): Promise<Array<{ name: string; label: string; allowed: string[] }>> {
  const out: Array<{ name: string; label: string; allowed: string[] }> = [];
  for (const v of d.templating.list) {
    if (v.type !== 'query') continue;
    const { selector, label } = parseLabelValues(variableQuery(v)!);
    out.push({ name: v.name, label, allowed: v.includeAll ? await prom.labelValues(label, substitute(selector, vars)) : [vars[v.name]] });
  }
  return out;
}
