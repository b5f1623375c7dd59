import type { Router } from 'express';
import { z } from 'zod';
import type { HttpContext } from '../context.js';
import { WEBHOOK_EVENTS } from '../../webhooks/events.js';
import type { WebhookService } from '../../webhooks/webhook-service.js';
import { redactUrl } from '../../redact-url.js';
import { route } from '../route.js';

/** Every URL the API returns has its credentials redacted (redact-url.ts). */
const redacted = <T extends { url: string }>(hook: T): T => ({ ...hook, url: redactUrl(hook.url) });

const CreateWebhookBody = z
  .object({
    url: z.string().max(2048),
    events: z
      .array(z.enum([...WEBHOOK_EVENTS, '*']))
      .min(1, 'events must name at least one event (or "*")')
      .max(16),
    secret: z.string().min(16, 'secret must be at least 16 characters').max(256),
    description: z.string().max(500).optional(),
  })
  .strict();

const WebhookResponse = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(z.string()),
  description: z.string(),
  source: z.enum(['api', 'env']),
  created_at: z.string().nullable(),
  created_by: z.string().nullable(),
});

const DeliveryResponse = z.object({
  id: z.string(),
  event: z.string(),
  status: z.enum(['pending', 'delivered', 'failed']),
  attempts: z.number().int(),
  last_status: z.number().int().nullable(),
  last_error: z.string().nullable(),
  created_at: z.string(),
  finished_at: z.string().nullable(),
});

const WebhookParams = z.object({ id: z.string().regex(/^(wh_[A-Za-z0-9_-]{12}|env)$/, 'not a webhook id') });

/**
 * Outbound webhooks (admin): POST {url, events, secret, description?} → 201 (the secret is
 * never returned); GET → {webhooks}; DELETE /{id} → 204. Deliveries are POSTs of
 * {id, event, occurred_at, data} signed with X-Modelwatch-Signature: sha256=HMAC(secret,
 * "<X-Modelwatch-Timestamp>.<body>").
 */
export function registerWebhookRoutes(router: Router, ctx: HttpContext, webhooks: WebhookService): void {
  const common = { tag: 'webhooks', role: 'admin' } as const;

  route(router, ctx, {
    ...common,
    method: 'post',
    operationId: 'createWebhook',
    path: '/api/v1/webhooks',
    summary: 'Subscribe a URL to registry events',
    body: CreateWebhookBody,
    status: 201,
    responses: {
      201: { description: 'created', schema: WebhookResponse },
      400: { description: 'invalid body or refused URL' },
      422: { description: 'the subscription cap is reached' },
    },
    handle: async ({ body, principal }) => redacted(await webhooks.create(body, principal.actor)),
  });

  route(router, ctx, {
    ...common,
    method: 'get',
    operationId: 'listWebhooks',
    path: '/api/v1/webhooks',
    summary: 'List webhooks (never their secrets)',
    responses: { 200: { description: 'webhooks', schema: z.object({ webhooks: z.array(WebhookResponse) }) } },
    handle: async () => ({ webhooks: (await webhooks.list()).map(redacted) }),
  });

  route(router, ctx, {
    ...common,
    method: 'get',
    operationId: 'listWebhookDeliveries',
    path: '/api/v1/webhooks/{id}/deliveries',
    summary: "A subscription's recent deliveries: status, attempts, last error (newest first)",
    params: WebhookParams,
    query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) }),
    responses: {
      200: { description: 'deliveries', schema: z.object({ deliveries: z.array(DeliveryResponse) }) },
      400: { description: 'not a webhook id, or a bad limit' },
      404: { description: 'unknown webhook' },
    },
    handle: async ({ params, query }) => ({ deliveries: await webhooks.deliveries(params.id, query.limit) }),
  });

  route(router, ctx, {
    ...common,
    method: 'delete',
    operationId: 'deleteWebhook',
    path: '/api/v1/webhooks/{id}',
    summary: 'Delete a webhook',
    params: WebhookParams,
    status: 204,
    responses: {
      204: { description: 'deleted' },
      400: { description: 'not a webhook id' },
      404: { description: 'unknown webhook' },
      422: { description: 'the environment webhook (unset MODELWATCH_WEBHOOK_URL instead)' },
    },
    handle: ({ params, principal }) => webhooks.remove(params.id, principal.actor),
  });
}
