import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-modelwatch-signature';
export const TIMESTAMP_HEADER = 'x-modelwatch-timestamp';
export const EVENT_HEADER = 'x-modelwatch-event';
export const DELIVERY_HEADER = 'x-modelwatch-delivery';

/**
 * HMAC-SHA256 over `<unix seconds>.<raw body>`, sent as `sha256=<hex>`. Signing the
 * timestamp with the body lets receivers refuse replays of an old delivery.
 */
export function sign(secret: string, timestampSeconds: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestampSeconds}.${body}`, 'utf8').digest('hex')}`;
}

/** What a receiver does: recompute, compare in constant time, and bound the clock skew. */
export function verifySignature(
  secret: string,
  header: { signature: string | undefined; timestamp: string | undefined },
  body: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  if (!header.signature || !header.timestamp || !/^\d+$/.test(header.timestamp)) return false;
  const ts = Number(header.timestamp);
  if (Math.abs(nowSeconds - ts) > toleranceSeconds) return false;
  const expected = Buffer.from(sign(secret, ts, body));
  const presented = Buffer.from(header.signature);
  return expected.length === presented.length && timingSafeEqual(expected, presented);
}
