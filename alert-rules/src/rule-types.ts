/** The shapes of a Prometheus rule file, as far as modelwatch uses them. */

export type Severity = 'critical' | 'warning' | 'info';

export interface RecordingRule {
  readonly record: string;
  readonly expr: string;
}

export interface AlertingRule {
  readonly alert: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels: Readonly<Record<string, string>> & { readonly severity: Severity };
  readonly annotations: {
    readonly summary: string;
    readonly description: string;
    readonly runbook_url: string;
  };
}

export interface RuleGroup<R> {
  readonly name: string;
  readonly rules: readonly R[];
}

export interface RuleFile<R> {
  readonly groups: readonly RuleGroup<R>[];
}
