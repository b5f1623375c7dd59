import type { Router } from 'express';
import type { HttpContext } from '../context.js';
import { rollbackForAlerts, type AlertOutcome } from '../../alerting/alert-rollback.js';
import type { RegistryService } from '../../registry/service.js';
import { principalOf, requireRole } from '../auth-middleware.js';
import { normaliseStrings } from '../../text-rule.js';
import { parseInput } from '../validate.js';
import { AlertmanagerWebhook, AlertmanagerWebhookResponse } from './alertmanager-payload.js';

/**
 * POST /api/v1/alertmanager/webhook — Alertmanager's webhook receiver (operator token in
 * http_config.authorization). Firing alerts labelled action="rollback" with model and
 * version roll that version back; everything else is acknowledged and ignored. 200 with a
 * per-alert summary; 503 when the registry failed on some alert, so that Alertmanager
 * retries (safe: a repeat finds the version gone and does nothing); 422 when an alert was
 * refused for good (outcome "rejected", logged and counted): Alertmanager retries only 5xx,
 * so a permanent error must not be one.
 *
 * Alert text is whatever a rule template produced and Alertmanager cannot be asked to resend
 * it, so strings are normalised (text-rule.ts: refused characters become U+FFFD) rather than
 * refused: a stray NUL in an alert name must not stop the rollback it asks for.
 */
export function registerAlertmanagerRoutes(
  router: Router,
  ctx: HttpContext,
  registry: Pick<RegistryService, 'rollback'>,
  onHandled: (outcomes: readonly AlertOutcome[]) => void = () => {},
): void {
  ctx.openapi.add({
    method: 'post',
    operationId: 'receiveAlertmanagerWebhook',
    path: '/api/v1/alertmanager/webhook',
    summary: 'Alertmanager webhook (payload version 4): alert-driven rollback',
    tag: 'alerting',
    role: 'operator',
    body: AlertmanagerWebhook,
    responses: {
      200: { description: 'per-alert outcome', schema: AlertmanagerWebhookResponse },
      400: { description: 'not an Alertmanager v4 payload' },
      422: { description: 'some alert was refused for good (outcome rejected); not to be retried', schema: AlertmanagerWebhookResponse },
      503: { description: 'the registry failed on some alert; Alertmanager should retry', schema: AlertmanagerWebhookResponse },
    },
  });
  router.post('/alertmanager/webhook', requireRole(ctx.auth, 'operator'), async (req, res) => {
    const payload = parseInput(AlertmanagerWebhook, normaliseStrings(req.body), 'Alertmanager payload');
    const outcomes = await rollbackForAlerts(registry, payload.alerts, principalOf(req).actor, ctx.log);
    onHandled(outcomes);
    const count = (o: string) => outcomes.filter((x) => x.outcome === o).length;
    const body = {
      receiver: payload.receiver,
      rolled_back: count('rolled_back'),
      ignored: count('ignored'),
      failed: count('failed'),
      rejected: count('rejected'),
      alerts: outcomes,
    };
    res.status(body.failed > 0 ? 503 : body.rejected > 0 ? 422 : 200).json(body);
  });
}
