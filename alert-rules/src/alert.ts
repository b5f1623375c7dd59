/** Builds alerting rules with the habits every modelwatch alert shares. */
import { config } from './config.js';
import { indent, recorded } from './promql.js';
import { REC } from './recording.js';
import type { AlertingRule, Severity } from './rule-types.js';

export const ALERT_PREFIX = 'Modelwatch';

export interface AlertSpec {
  readonly name: string;
  readonly expr: string;
  readonly for?: string;
  readonly severity: Severity;
  readonly summary: string;
  readonly description: string;
  readonly labels?: Readonly<Record<string, string>>;
}

/** The runbook section of an alert is a `## <AlertName>` heading, whose GitHub anchor is its lower case. */
export function runbookUrl(alertName: string): string {
  return `${config.runbookBaseUrl}#${alertName.toLowerCase()}`;
}

export function alert(spec: AlertSpec): AlertingRule {
  if (!/^Modelwatch[A-Z][A-Za-z0-9]*$/.test(spec.name))
    throw new Error(`alert name ${spec.name} is not CamelCase with the ${ALERT_PREFIX} prefix`);
  return {
    alert: spec.name,
    expr: spec.expr,
    ...(spec.for === undefined ? {} : { for: spec.for }),
    labels: { ...spec.labels, severity: spec.severity },
    annotations: { summary: spec.summary, description: spec.description, runbook_url: runbookUrl(spec.name) },
  };
}

/** Adds the owning team to every series of a per-model expression, for Alertmanager routing. */
export function withTeam(expr: string): string {
  return `(\n${indent(expr)}\n)\n* on (model) group_left (team)\n${recorded(REC.team)}`;
}
