/**
 * Grafana-style template substitution: `$name`, `${name}`, `${name:fmt}` and `[[name]]`, longest names
 * first — the three forms of https://grafana.com/docs/grafana/latest/dashboards/variables/variable-syntax/
 * (`$model` in a dashboard query is replaced by the selected model's name).
 */
export function substitute(expr: string, vars: Record<string, string>): string {
  let out = expr;
  const names = Object.keys(vars).sort((a, b) => b.length - a.length);
  for (const name of names) {
    const value = vars[name];
    const esc = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    out = out
      .replace(new RegExp(`\\$\\{${esc}(?::[a-z]+)?\\}`, 'g'), value)
      .replace(new RegExp(`\\[\\[${esc}\\]\\]`, 'g'), value)
      .replace(new RegExp(`\\$${esc}(?![a-zA-Z0-9_])`, 'g'), value);
  }
  return out;
}

/** What is left unsubstituted (a variable the dashboard uses but never defines). */
export const leftoverVariables = (expr: string): string[] => [...expr.matchAll(/\$\{?([a-zA-Z_][a-zA-Z0-9_]*)/g)].map((m) => m[1]);

/**
 * Grafana's multi-value/All rendering for Prometheus: a regex alternation of regex-escaped values
 * (https://grafana.com/docs/grafana/latest/datasources/prometheus/template-variables/ and the
 * Prometheus data source's `interpolateQueryExpr`); an All variable with `allValue` uses that instead.
 */
export const regexAlternation = (values: string[]): string =>
  values.length === 1 ? escapeRegex(values[0]) : `(${values.map(escapeRegex).join('|')})`;

const escapeRegex = (v: string): string => v.replace(/[\\^$*+?.()|[\]{}]/g, '\\\\$&');
