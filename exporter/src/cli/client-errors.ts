/**
 * Errors the CLI can end with, and the exit code each maps to. CI pipelines branch on the
 * exit code, so the mapping is part of the CLI's contract:
 *   0 ok · 1 refused by a gate or a conflict (422/409) · 2 usage error (bad flags, 400/404)
 *   3 auth (401/403, no token) · 4 exporter unreachable or failing (network, 5xx).
 */
export const EXIT = { ok: 0, refused: 1, usage: 2, auth: 3, unavailable: 4 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** A non-2xx answer from the exporter, with its JSON body as sent. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details?: unknown,
    /** The catalog code of the error body (docs/errors.md), when the exporter sent one. */
    readonly code?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** Bad flags or arguments detected before any request is sent. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** No token given where one is needed. */
export class MissingTokenError extends Error {
  override name = 'MissingTokenError';
}

/** The exporter could not be reached (refused connection, DNS, timeout). */
export class UnreachableError extends Error {
  override name = 'UnreachableError';
}

export function exitCodeFor(err: unknown): ExitCode {
  if (err instanceof UsageError) return EXIT.usage;
  if (err instanceof MissingTokenError) return EXIT.auth;
  if (err instanceof UnreachableError) return EXIT.unavailable;
  if (err instanceof ApiError) {
    if (err.status === 409 || err.status === 422) return EXIT.refused;
    if (err.status === 401 || err.status === 403) return EXIT.auth;
    if (err.status >= 500) return EXIT.unavailable;
    return EXIT.usage;
  }
  return EXIT.unavailable;
}
