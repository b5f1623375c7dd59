/**
 * Issue 5 end to end: a production version whose accuracy collapses is rolled back by the
 * alert, with nothing but real parts in the loop —
 *
 *   exporter /metrics ─scrape 1s─▶ Prometheus (the generated rules) ─▶ Alertmanager (the shipped
 *   config) ─▶ exporter /api/v1/alertmanager/webhook ─▶ registry rollback
 *
 * Test-only changes, each because the production value is minutes long: the collapse alert's
 * `for:` (10m → FOR_DURATION), scrape/evaluation every 1s, and the rollback route's
 * group_interval/repeat_interval (1m/15m → 1s). A recording pass-through sits between
 * Alertmanager and the exporter so the test can see each delivery and replay one verbatim.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ALERTMANAGER_BIN,
  binaryExists,
  PROMETHEUS_BIN,
  shippedAlertmanagerConfig,
  startAlertmanager,
  startPrometheus,
  until,
  webhookNotifications,
  type RunningAlertmanager,
  type RunningPrometheus,
} from '@modelwatch/test-support';
import { startTestServer, type TestServer } from '../helpers/start.js';
import { parseExposition, sample } from '../ingest/helpers.js';
import { deriveTestRules, ESTIMATE_ROLLBACK_ALERT, ROLLBACK_ALERT } from './test-rules.js';
import { startWebhookTap, type WebhookTap } from './webhook-tap.js';

const FOR_DURATION = '3s';
const MODEL = 'credit-risk';
const TEAM = 'risk';
const OLD = '1.0';
const NEW = '1.1';
/** Validation accuracy both versions are registered with; the collapse margin is 0.15. */
const VALIDATION_ACCURACY = 0.92;
/** What NEW gets right in production: far below 0.92 - 0.15. */
const PRODUCTION_CORRECT_SHARE = 0.3;

const missing = [
  binaryExists(PROMETHEUS_BIN) ? undefined : `${PROMETHEUS_BIN} (apt-get install prometheus)`,
  binaryExists(ALERTMANAGER_BIN) ? undefined : `${ALERTMANAGER_BIN} (apt-get install prometheus-alertmanager)`,
].filter(Boolean);
if (missing.length > 0) {
  const message = `alert-rollback e2e needs ${missing.join(' and ')}`;
  // CI installs both (.ci/run); there a missing binary is a failure, not a skip.
  if (process.env.CI === 'true') throw new Error(message);
  process.stderr.write(`\n!!! SKIPPING ${message}\n\n`);
}

interface WebhookSummary {
  rolled_back: number;
  ignored: number;
  failed: number;
  alerts: { outcome: string; detail: string; model: string | null; version: string | null; alertname: string | null }[];
}

/** Reads a JSON answer, failing with the body when the status is not the expected one. */
async function json<T>(res: Response | Promise<Response>, status = 200): Promise<T> {
  const r = await res;
  const text = await r.text();
  if (r.status !== status) throw new Error(`${r.url} answered ${r.status}, expected ${status}: ${text}`);
  return JSON.parse(text) as T;
}

/** The whole rollback loop on loopback: exporter, webhook tap, Alertmanager and Prometheus. */
interface RollbackLoop {
  dir: string;
  s: TestServer;
  tap: WebhookTap;
  am: RunningAlertmanager;
  prom: RunningPrometheus;
  /** The `for:` the shipped rule had before the test shortened it to FOR_DURATION. */
  originalFor: string;
}

/**
 * Starts the loop as an operator would wire it: Alertmanager authenticates with an operator
 * token made through the token API, and Prometheus loads the shipped rules with `alertName`'s
 * `for:` shortened. Whatever started before a failure is stopped by stopRollbackLoop.
 */
async function startRollbackLoop(prefix: string, alertName: string, loop: Partial<RollbackLoop>): Promise<RollbackLoop> {
  loop.dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  loop.s = await startTestServer();
  loop.tap = await startWebhookTap(loop.s.url);
  const { token } = await json<{ token: string }>(
    loop.s.api('/api/v1/tokens', { method: 'POST', json: { name: 'alertmanager', role: 'operator' } }),
    201,
  );
  const tokenFile = path.join(loop.dir, 'exporter-webhook-token');
  fs.writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 });
  const amConfig = path.join(loop.dir, 'alertmanager.yml');
  fs.writeFileSync(amConfig, shippedAlertmanagerConfig(loop.tap.url, tokenFile, { group_interval: '1s', repeat_interval: '1s' }));
  loop.am = await startAlertmanager(amConfig);
  const rules = deriveTestRules(loop.dir, FOR_DURATION, alertName);
  loop.originalFor = rules.originalFor;
  loop.prom = await startPrometheus({ targets: [new URL(loop.s.url).host], ruleFiles: rules.files, alertmanagers: [loop.am.url] });
  return loop as RollbackLoop;
}

async function stopRollbackLoop(loop: Partial<RollbackLoop>): Promise<void> {
  await Promise.allSettled([loop.prom?.stop(), loop.am?.stop()]);
  await Promise.allSettled([loop.tap?.close(), loop.s?.close()]);
  if (loop.dir) fs.rmSync(loop.dir, { recursive: true, force: true });
}

/** Current stage of each version of `model`. */
async function stagesOf(s: TestServer, model: string): Promise<Record<string, string>> {
  const { versions } = await json<{ versions: { version: string; stage: string }[] }>(s.api(`/api/v1/models/${model}/versions`));
  return Object.fromEntries(versions.map((v) => [v.version, v.stage]));
}

interface AuditEntry {
  action: string;
  actor: string;
  model: string | null;
  version: string | null;
  reason: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

describe.skipIf(missing.length > 0)('accuracy collapse → Prometheus → Alertmanager → exporter rollback', () => {
  const loop: Partial<RollbackLoop> = {};
  let s: TestServer;
  let tap: WebhookTap;
  let am: RunningAlertmanager | undefined;
  let prom: RunningPrometheus | undefined;
  let originalFor: string;
  const started = Date.now();

  const stages = () => stagesOf(s, MODEL);
  const rollbackEntries = async () => {
    const { entries } = await json<{ entries: AuditEntry[] }>(s.api(`/api/v1/audit?model=${MODEL}`));
    return entries.filter((e) => e.action === 'model.rollback');
  };
  const exporterMetrics = async () => parseExposition(await (await s.api('/metrics', { token: null })).text());
  const diagnostics = () =>
    `\n--- prometheus ---\n${prom?.log() ?? ''}\n--- alertmanager ---\n${am?.log().slice(-4000) ?? ''}\n--- deliveries ---\n${JSON.stringify(tap?.deliveries ?? [], null, 1)}`;

  /** Predictions for NEW and their labels: `n` events of which `correct` are right. */
  const traffic = async (from: number, n: number, correct: number) => {
    const ids = Array.from({ length: n }, (_, i) => `p-${from + i}`);
    await json(
      s.api('/api/v1/predictions', {
        method: 'POST',
        json: {
          model: MODEL,
          version: NEW,
          // The score is P("approve"): approve/deny need their positive class stated (issue 11 §2).
          positive_class: 'approve',
          events: ids.map((id, i) => ({
            id,
            features: { amount: 100 + i, country: 'NL' },
            prediction: 'approve',
            score: 0.8,
            latency_ms: 5,
          })),
        },
      }),
    );
    await json(
      s.api('/api/v1/feedback', {
        method: 'POST',
        json: { model: MODEL, events: ids.map((id, i) => ({ id, label: i < correct ? 'approve' : 'deny' })) },
      }),
    );
  };

  beforeAll(async () => {
    ({ s, tap, am, prom, originalFor } = await startRollbackLoop('modelwatch-e2e-rollback-', ROLLBACK_ALERT, loop));
  });

  afterAll(async () => {
    await stopRollbackLoop(loop);
    process.stderr.write(`alert-rollback e2e: ${((Date.now() - started) / 1000).toFixed(1)} s including start-up\n`);
  });

  it('rolls back once on the alert, and repeats of the notification change nothing', { timeout: 180_000 }, async () => {
    expect(originalFor).not.toBe(FOR_DURATION);

    // --- the release: OLD then NEW to production, both through the gates ---
    await json(s.api('/api/v1/models', { method: 'POST', json: { name: MODEL, team: TEAM } }), 201);
    for (const version of [OLD, NEW]) {
      await json(
        s.api(`/api/v1/models/${MODEL}/versions`, {
          method: 'POST',
          json: { version, metrics: { accuracy: VALIDATION_ACCURACY, latency_ms: 12 } },
        }),
        201,
      );
      for (const to of ['staging', 'production']) {
        await json(
          s.api(`/api/v1/models/${MODEL}/versions/${version}/transitions`, { method: 'POST', json: { to, reason: `release ${version}` } }),
        );
      }
    }
    expect(await stages()).toEqual({ [OLD]: 'archived', [NEW]: 'production' });

    // --- NEW collapses in production ---
    // Counters must be seen before they grow, or a rate has nothing to measure: a first
    // batch, wait until Prometheus has scraped it, then the bulk.
    await traffic(0, 20, 20 * PRODUCTION_CORRECT_SHARE);
    const series = `{job="modelwatch",model="${MODEL}",version="${NEW}"}`;
    await until('Prometheus to scrape the first labeled predictions', async () => {
      const [labeled] = await prom!.vector(`modelwatch_labeled_predictions_total${series}`);
      const [correct] = await prom!.vector(`modelwatch_correct_predictions_total${series}`);
      return labeled?.value[1] === '20' && correct?.value[1] === String(20 * PRODUCTION_CORRECT_SHARE) ? true : undefined;
    });
    await traffic(20, 100, 100 * PRODUCTION_CORRECT_SHARE);
    const alertSeenAt = Date.now();

    // --- the loop closes: the alert fires, Alertmanager calls the exporter, which rolls back ---
    await until('the alert-driven rollback', async () => ((await stages())[OLD] === 'production' ? true : undefined), {
      timeoutMs: 60_000,
      intervalMs: 250,
    }).catch((err: Error) => {
      throw new Error(`${err.message}${diagnostics()}`);
    });
    const rollbackSeconds = (Date.now() - alertSeenAt) / 1000;
    expect(await stages()).toEqual({ [OLD]: 'production', [NEW]: 'archived' });

    // Prometheus computed what the rule compares: NEW's 1h accuracy from the counters.
    const [accuracy] = await prom!.vector(`model_version:modelwatch_accuracy:ratio_rate1h{model="${MODEL}",version="${NEW}"}`);
    expect(Number(accuracy.value[1])).toBeCloseTo(PRODUCTION_CORRECT_SHARE, 6);
    // The alert went pending (the `for:`), then fired, with the labels that route it.
    const history = async (state: string) =>
      prom!.vector(`max_over_time(ALERTS{alertname="${ROLLBACK_ALERT}",alertstate="${state}"}[10m])`);
    const routing = { alertname: ROLLBACK_ALERT, action: 'rollback', severity: 'critical', model: MODEL, version: NEW, team: TEAM };
    for (const state of ['pending', 'firing']) {
      const seen = await history(state);
      expect(seen, `${ROLLBACK_ALERT} ${state}`).toHaveLength(1);
      expect(seen[0].metric).toMatchObject(routing);
    }

    // The first delivery from Alertmanager is the one that acted, with the token from the file.
    const first = tap.deliveries[0];
    expect(first.authorization).toBe(`Bearer ${fs.readFileSync(path.join(loop.dir!, 'exporter-webhook-token'), 'utf8').trim()}`);
    expect(first.status).toBe(200);
    const firstPayload = JSON.parse(first.requestBody) as {
      receiver: string;
      status: string;
      alerts: { labels: Record<string, string>; annotations: Record<string, string>; startsAt: string; fingerprint: string }[];
    };
    expect(firstPayload).toMatchObject({ receiver: 'exporter-rollback', status: 'firing' });
    expect(firstPayload.alerts).toHaveLength(1);
    expect(firstPayload.alerts[0].labels).toMatchObject(routing);
    expect(JSON.parse(first.responseBody)).toMatchObject({
      rolled_back: 1,
      ignored: 0,
      failed: 0,
      alerts: [{ outcome: 'rolled_back', model: MODEL, version: NEW, to_version: OLD }],
    });

    // The audit log names the alert as the trigger.
    const [rollback, ...more] = await rollbackEntries();
    expect(more).toHaveLength(0);
    expect(rollback).toMatchObject({
      actor: 'token:alertmanager',
      model: MODEL,
      after: { trigger: 'alert', production_version: OLD, archived_version: NEW },
    });
    expect(rollback.reason).toContain(
      `alert ${ROLLBACK_ALERT} firing since ${firstPayload.alerts[0].startsAt} (fingerprint ${firstPayload.alerts[0].fingerprint})`,
    );
    const { transitions } = await json<{
      transitions: { version: string; from: string; to: string; kind: string; trigger: string | null }[];
    }>(s.api(`/api/v1/models/${MODEL}/transitions`));
    expect(
      transitions
        .filter((t) => t.kind === 'rollback')
        .map((t) => [t.version, t.from, t.to, t.trigger])
        .sort(),
    ).toEqual([
      [OLD, 'archived', 'production', 'alert'],
      [NEW, 'production', 'archived', 'alert'],
    ]);

    // With NEW no longer in production, the rule's own condition ends the alert.
    await until(
      `${ROLLBACK_ALERT} to resolve in Prometheus`,
      async () => ((await prom!.alerts()).some((a) => a.labels.alertname === ROLLBACK_ALERT) ? undefined : true),
      { timeoutMs: 30_000, intervalMs: 250 },
    );

    // --- repeats change nothing ---
    // Alertmanager delivers the same alert again, as it does when a lagging Prometheus of an
    // HA pair still sends it firing: re-post it exactly as Alertmanager first delivered it.
    const deliveredBefore = tap.deliveries.length;
    const { labels, annotations, startsAt } = firstPayload.alerts[0];
    const posted = await fetch(`${am!.url}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ labels, annotations, startsAt }]),
    });
    expect(posted.status).toBe(200);
    // It comes back at once, then again every repeat_interval while Alertmanager holds it firing.
    await until(
      'Alertmanager to deliver the alert again and repeat it',
      async () => (tap.deliveries.length >= deliveredBefore + 2 ? true : undefined),
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    for (const repeat of tap.deliveries.slice(deliveredBefore)) {
      expect(JSON.parse(repeat.requestBody)).toMatchObject({
        status: 'firing',
        alerts: [{ labels: routing, fingerprint: firstPayload.alerts[0].fingerprint }],
      });
    }
    // Resolve it so the repeats stop (send_resolved is false: no further delivery) and let a
    // few repeat intervals pass, so no delivery lands after the counts below are taken.
    const resolved = await fetch(`${am!.url}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ labels, annotations, startsAt, endsAt: new Date().toISOString() }]),
    });
    expect(resolved.status).toBe(200);
    await until(
      'Alertmanager to go quiet',
      async () => {
        const counted = tap.deliveries.length;
        await new Promise((r) => setTimeout(r, 2500));
        return tap.deliveries.length === counted ? true : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 0 },
    );
    // And the same payload, byte for byte, posted by hand.
    const replayed = await fetch(`${s.url}/api/v1/alertmanager/webhook`, {
      method: 'POST',
      headers: { authorization: first.authorization!, 'content-type': 'application/json' },
      body: first.requestBody,
    });
    expect(replayed.status).toBe(200);

    for (const body of [...tap.deliveries.slice(1).map((d) => d.responseBody), await replayed.text()]) {
      const summary = JSON.parse(body) as WebhookSummary;
      expect(summary).toMatchObject({ rolled_back: 0, failed: 0 });
      expect(summary.alerts.every((a) => a.outcome === 'ignored' && /no longer in production/.test(a.detail))).toBe(true);
    }
    expect(tap.deliveries.every((d) => d.status === 200)).toBe(true);
    expect(await webhookNotifications(am!, true)).toBe(0);

    // Still exactly one rollback, everywhere it is counted.
    expect(await stages()).toEqual({ [OLD]: 'production', [NEW]: 'archived' });
    expect(await rollbackEntries()).toHaveLength(1);
    const metrics = await exporterMetrics();
    expect(sample(metrics, 'modelwatch_rollbacks_total', { model: MODEL, trigger: 'alert' })).toBe(1);
    expect(sample(metrics, 'modelwatch_rollbacks_total', { model: MODEL, trigger: 'manual' }) ?? 0).toBe(0);
    expect(sample(metrics, 'modelwatch_alerts_received_total', { outcome: 'rolled_back' })).toBe(1);
    expect(sample(metrics, 'modelwatch_alerts_received_total', { outcome: 'ignored' })).toBe(tap.deliveries.length);
    await until('Prometheus to scrape the rollback counter', async () => {
      const [r] = await prom!.vector(`modelwatch_rollbacks_total{model="${MODEL}",trigger="alert"}`);
      return r?.value[1] === '1' ? true : undefined;
    });
    expect(await json(s.api('/api/v1/audit/verify'))).toMatchObject({ ok: true });

    process.stderr.write(
      `alert-rollback e2e: rollback ${rollbackSeconds.toFixed(1)} s after the collapse; ${tap.deliveries.length} Alertmanager deliveries\n`,
    );
  });
});

/**
 * Issue 17 end to end: the same loop with no label at all. A production version of a model
 * enabled for estimate rollbacks (`fraud_detector` in the rules' config, the model examples/fraud-detector.sh registers) scores its traffic
 * near 0.5; its reference says such scores are right about half the time, so the label-free
 * estimate's upper band falls below the model's gate (0.9) and the model is rolled back
 * before a single label arrives. Test-only change as above: the alert's `for:` (10m → 3s).
 */
describe.skipIf(missing.length > 0)('label-free estimate below the gate → Prometheus → Alertmanager → exporter rollback', () => {
  const FRAUD = 'fraud_detector';
  const loop: Partial<RollbackLoop> = {};
  let s: TestServer;
  let tap: WebhookTap;
  let am: RunningAlertmanager | undefined;
  let prom: RunningPrometheus | undefined;

  const stages = () => stagesOf(s, FRAUD);

  beforeAll(async () => {
    let originalFor: string;
    ({ s, tap, am, prom, originalFor } = await startRollbackLoop('modelwatch-e2e-estimate-', ESTIMATE_ROLLBACK_ALERT, loop));
    expect(originalFor).toBe('10m');
  });

  afterAll(() => stopRollbackLoop(loop));

  it('rolls back on the estimate alone, with no label received', { timeout: 180_000 }, async () => {
    await json(s.api('/api/v1/models', { method: 'POST', json: { name: FRAUD, team: TEAM } }), 201);
    for (const version of [OLD, NEW]) {
      await json(
        s.api(`/api/v1/models/${FRAUD}/versions`, { method: 'POST', json: { version, metrics: { accuracy: 0.95, latency_ms: 12 } } }),
        201,
      );
      for (const to of ['staging', 'production'])
        await json(s.api(`/api/v1/models/${FRAUD}/versions/${version}/transitions`, { method: 'POST', json: { to, reason: 'release' } }));
    }
    expect(await stages()).toEqual({ [OLD]: 'archived', [NEW]: 'production' });

    // NEW's reference: scores calibrated as they are (a row scored s is fraud with frequency s).
    const n = 1000;
    const score = Array.from({ length: n }, (_, i) => (i + 0.5) / n);
    const labels = score.map((p, i) => (((i * 7919) % n) / n < p ? 'fraud' : 'ok'));
    const ref = await json<{ calibration: { kind: string } }>(
      s.api(`/api/v1/models/${FRAUD}/versions/${NEW}/reference`, {
        method: 'PUT',
        json: { features: { amount: score.map((p) => p * 100) }, labels, score, positive_class: 'fraud' },
      }),
    );
    expect(ref.calibration.kind).toBe('binary');

    // Live traffic the model is unsure about: scores 0.4–0.6, about half right — and no labels.
    const events = Array.from({ length: 400 }, (_, i) => {
      const p = 0.4 + (0.2 * i) / 400;
      return { id: `e-${i}`, features: { amount: p * 100 }, prediction: p >= 0.5 ? 'fraud' : 'ok', score: p };
    });
    await json(s.api('/api/v1/predictions', { method: 'POST', json: { model: FRAUD, version: NEW, events } }));
    const exposed = parseExposition(await (await s.api('/metrics', { token: null })).text());
    const mv = { model: FRAUD, version: NEW };
    expect(sample(exposed, 'modelwatch_model_estimated_window_events', mv)).toBe(400);
    expect(sample(exposed, 'modelwatch_model_estimated_accuracy_upper_ratio', mv)!).toBeLessThan(0.9);
    expect(sample(exposed, 'modelwatch_labeled_predictions_total', mv)).toBe(0);

    await until('the estimate-driven rollback', async () => ((await stages())[OLD] === 'production' ? true : undefined), {
      timeoutMs: 60_000,
      intervalMs: 250,
    }).catch((err: Error) => {
      throw new Error(
        `${err.message}\n--- prometheus ---\n${prom?.log() ?? ''}\n--- alertmanager ---\n${am?.log().slice(-4000) ?? ''}\n--- deliveries ---\n${JSON.stringify(tap?.deliveries ?? [], null, 1)}`,
      );
    });
    expect(await stages()).toEqual({ [OLD]: 'production', [NEW]: 'archived' });

    const routing = {
      alertname: ESTIMATE_ROLLBACK_ALERT,
      action: 'rollback',
      severity: 'critical',
      model: FRAUD,
      version: NEW,
      team: TEAM,
    };
    const fired = await prom!.vector(`max_over_time(ALERTS{alertname="${ESTIMATE_ROLLBACK_ALERT}",alertstate="firing"}[10m])`);
    expect(fired).toHaveLength(1);
    expect(fired[0].metric).toMatchObject(routing);
    // The realized-accuracy rollback had nothing to judge: no labels.
    expect(await prom!.vector(`ALERTS{alertname="${ROLLBACK_ALERT}"}`)).toHaveLength(0);

    const first = JSON.parse(tap.deliveries[0].requestBody) as { alerts: { labels: Record<string, string> }[] };
    expect(first.alerts[0].labels).toMatchObject(routing);
    expect(JSON.parse(tap.deliveries[0].responseBody)).toMatchObject({ rolled_back: 1, failed: 0 });
    const { entries } = await json<{ entries: AuditEntry[] }>(s.api(`/api/v1/audit?model=${FRAUD}`));
    const rollbacks = entries.filter((e) => e.action === 'model.rollback');
    expect(rollbacks).toHaveLength(1);
    expect(rollbacks[0].reason).toContain(`alert ${ESTIMATE_ROLLBACK_ALERT} firing since`);
    expect(rollbacks[0].after).toMatchObject({ trigger: 'alert', production_version: OLD, archived_version: NEW });
  });
});
