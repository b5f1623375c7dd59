import { ConflictError, InvalidInputError, NotFoundError } from '../errors.js';
import { StaleRollbackError } from '../registry/errors.js';
import type { Logger } from '../logger.js';
import type { RegistryService } from '../registry/service.js';

/** The part of an Alertmanager alert the receiver acts on. */
export interface ReceivedAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  fingerprint: string;
}

export interface AlertOutcome {
  fingerprint: string;
  alertname: string | null;
  model: string | null;
  version: string | null;
  /** rejected: refused for good (bad input); retrying cannot help, so it is not a 5xx. */
  outcome: 'rolled_back' | 'ignored' | 'failed' | 'rejected';
  /** Why it was ignored or failed; for rolled_back, what happened. */
  detail: string;
  to_version?: string;
}

/** The label that marks an alert as one that should roll its version back. */
export const ROLLBACK_ACTION = 'rollback';

/**
 * Acts on a batch of alerts: each firing alert labelled action="rollback" with model and
 * version rolls that model back, but only while that version is still in production
 * (from_version). That condition is what makes Alertmanager's repeats, duplicate
 * deliveries from an HA pair and several alerts about the same version harmless: the first
 * one acts, the rest find the version gone and are reported as ignored.
 */
export async function rollbackForAlerts(
  registry: Pick<RegistryService, 'rollback'>,
  alerts: readonly ReceivedAlert[],
  actor: string,
  log: Logger,
): Promise<AlertOutcome[]> {
  const outcomes: AlertOutcome[] = [];
  // One at a time, in order: the registry serializes writes anyway, and the summary then
  // says plainly which alert acted and which found the work done.
  for (const alert of alerts) outcomes.push(await handleOne(registry, alert, actor, log));
  return outcomes;
}

async function handleOne(
  registry: Pick<RegistryService, 'rollback'>,
  alert: ReceivedAlert,
  actor: string,
  log: Logger,
): Promise<AlertOutcome> {
  const { labels } = alert;
  const base = {
    fingerprint: alert.fingerprint,
    alertname: labels.alertname ?? null,
    model: labels.model ?? null,
    version: labels.version ?? null,
  };
  const ignored = (detail: string): AlertOutcome => ({ ...base, outcome: 'ignored', detail });
  if (alert.status !== 'firing') return ignored('alert is resolved; nothing to do');
  if (labels.action !== ROLLBACK_ACTION)
    return ignored(`not a rollback alert (label action is ${labels.action === undefined ? 'absent' : `"${labels.action}"`})`);
  if (!labels.model || !labels.version) return ignored('rollback alert without model and version labels');

  const reason = `alert ${clip(labels.alertname ?? '(unnamed)', 200)} firing since ${alert.startsAt} (fingerprint ${alert.fingerprint})${summaryOf(alert)}`;
  try {
    const r = await registry.rollback(labels.model, { reason, fromVersion: labels.version, trigger: 'alert' }, actor);
    log.warn(
      { model: r.model, from: r.fromVersion, to: r.toVersion, alert: labels.alertname, fingerprint: alert.fingerprint },
      'alert-driven rollback',
    );
    return {
      ...base,
      outcome: 'rolled_back',
      detail: `${r.model} rolled back from ${r.fromVersion} to ${r.toVersion}`,
      to_version: r.toVersion,
    };
  } catch (err) {
    if (err instanceof StaleRollbackError)
      return ignored(`already handled: ${labels.version} is no longer in production (current: ${err.currentProduction ?? 'none'})`);
    if (err instanceof NotFoundError || err instanceof ConflictError) return ignored(err.message);
    if (err instanceof InvalidInputError) {
      log.error({ err, fingerprint: alert.fingerprint, model: labels.model }, 'alert-driven rollback refused for good');
      return { ...base, outcome: 'rejected', detail: `refused: ${err.message}` };
    }
    // Details of an unexpected failure stay in the log; the caller answers 503 so that
    // Alertmanager retries, which is safe because of from_version.
    log.error({ err, fingerprint: alert.fingerprint, model: labels.model }, 'alert-driven rollback failed');
    return { ...base, outcome: 'failed', detail: 'the registry could not complete the rollback; will be retried' };
  }
}

function summaryOf(alert: ReceivedAlert): string {
  const s = alert.annotations.summary ?? alert.annotations.description;
  return s ? `: ${clip(s, 200)}` : '';
}

/** Alert text is whatever the rule author wrote; the audit reason keeps a bounded part of it. */
function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
