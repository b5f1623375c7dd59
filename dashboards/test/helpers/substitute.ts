/** Grafana-style template substitution: `$name`, `${name}`, `${name:fmt}` and `[[name]]`, longest names first. */
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

/** Grafana's multi-value/All rendering for Prometheus: a regex alternation of escaped values. */
export const regexAlternation = (values: string[]): string =>
  values.length === 1 ? escapeRegex(values[0]) : `(${values.map(escapeRegex).join('|')})`;

const escapeRegex = (v: string): string => v.replace(/[\\^$*+?.()|[\]{}]/g, '\\\\$&');
