import { isFetchError } from '@grafana/runtime';
import type { GateFailure } from './types';
import type { components } from '../../../exporter/src/api/openapi-types';
import { asObject } from './json';

type ErrorBody = components['schemas']['Error'];
type GateRefusal = components['schemas']['GateRefusal'];

export type ApiErrorKind =
  | 'not-configured'
  | 'unauthenticated'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'gates'
  | 'refused'
  | 'invalid'
  | 'unreachable'
  | 'server';

/**
 * A failed exporter call, turned into something a page can show: a title an on-call engineer
 * understands, the exporter's own message, and for a 422 every failed quality gate.
 */
export class ApiError extends Error {
  constructor(
    readonly kind: ApiErrorKind,
    readonly title: string,
    message: string,
    readonly status: number | null = null,
    readonly gateFailures: GateFailure[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/**
 * The message of a failed call: the exporter's error body (`Error.error` in its OpenAPI document),
 * or Grafana's own `{message}` when Grafana answered (a proxy route that does not match, a 502).
 */
function exporterMessage(data: unknown): string | null {
  const body = asObject(data) as Partial<ErrorBody> & { message?: unknown };
  if (typeof body.error === 'string') return body.error;
  if (typeof body.message === 'string') return body.message;
  return null;
}

function isGateRefusal(data: unknown): data is GateRefusal {
  const body = asObject(data);
  return body.code === 'MW_ERR_GATE_FAILED' && Array.isArray(body.details);
}

/** Every failed gate of a 422 refusal (`GateRefusal.details`); none for any other body. */
export function gateFailuresOf(data: unknown): GateFailure[] {
  if (!isGateRefusal(data)) return [];
  return data.details.map((f) => ({ gate: f.gate, metric: f.metric, required: f.required, actual: f.actual }));
}

export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (isFetchError(err)) {
    const status = err.status;
    const msg = exporterMessage(err.data) ?? err.statusText ?? err.message ?? `HTTP ${status}`;
    switch (status) {
      case 401:
        return new ApiError(
          'unauthenticated',
          'The exporter rejected the token',
          `${msg}. An admin can set a valid token on the app's configuration page.`,
          status,
        );
      case 403:
        return new ApiError('forbidden', 'Not allowed', msg, status);
      case 404:
        return new ApiError('not-found', 'Not found', msg, status);
      case 409:
        return new ApiError('conflict', 'Refused: the registry is not in a state that allows this', msg, status);
      case 422:
        // Only a GateRefusal body is a gate refusal; the exporter's other 422s are its rules and
        // limits (MW_ERR_UNPROCESSABLE: cardinality bounds, the webhook cap, …; docs/errors.md).
        if (isGateRefusal(err.data)) return new ApiError('gates', 'Refused by the quality gates', msg, status, gateFailuresOf(err.data));
        return new ApiError('refused', 'Refused by a rule or limit of the exporter', msg, status);
      case 400:
      case 413:
        return new ApiError('invalid', 'The exporter rejected the request', msg, status);
      case 502:
      case 503:
      case 504:
        return new ApiError(
          'unreachable',
          'The exporter cannot be reached',
          `Grafana could not reach the exporter (HTTP ${status}). Check the exporter URL on the configuration page and that the exporter is running.`,
          status,
        );
      default:
        if (!status || status < 0) {
          return new ApiError(
            'unreachable',
            'Grafana cannot be reached',
            'The request did not get an answer; check your network connection.',
            null,
          );
        }
        return new ApiError('server', `The exporter answered HTTP ${status}`, msg, status);
    }
  }
  const message = err instanceof Error ? err.message : String(err);
  return new ApiError('unreachable', 'The request failed', message);
}
