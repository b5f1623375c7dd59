import { z } from 'zod';

/**
 * Alertmanager's webhook payload, version 4 (the only version Alertmanager has sent since
 * 0.x). Fields Alertmanager may add later are tolerated and ignored; the ones the receiver
 * relies on are required.
 */
const LabelSet = z.record(z.string(), z.string());
const Timestamp = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/, 'must be an RFC 3339 timestamp');

export const AlertmanagerAlert = z.object({
  status: z.enum(['firing', 'resolved']),
  labels: LabelSet,
  annotations: LabelSet.default({}),
  startsAt: Timestamp,
  endsAt: Timestamp,
  generatorURL: z.string().optional(),
  fingerprint: z.string().min(1).max(64),
});

export const AlertmanagerWebhook = z.object({
  version: z.literal('4'),
  groupKey: z.string(),
  truncatedAlerts: z.number().int().min(0).optional(),
  status: z.enum(['firing', 'resolved']),
  receiver: z.string(),
  groupLabels: LabelSet.optional(),
  commonLabels: LabelSet.optional(),
  commonAnnotations: LabelSet.optional(),
  externalURL: z.string().optional(),
  // Alertmanager's max_alerts bounds this on its side; the cap bounds the work of one request.
  alerts: z.array(AlertmanagerAlert).max(1000),
});

export const AlertOutcomeResponse = z.object({
  fingerprint: z.string(),
  alertname: z.string().nullable(),
  model: z.string().nullable(),
  version: z.string().nullable(),
  outcome: z.enum(['rolled_back', 'ignored', 'failed', 'rejected']),
  detail: z.string(),
  to_version: z.string().optional(),
});

export const AlertmanagerWebhookResponse = z.object({
  receiver: z.string(),
  rolled_back: z.number(),
  ignored: z.number(),
  failed: z.number(),
  rejected: z.number(),
  alerts: z.array(AlertOutcomeResponse),
});
