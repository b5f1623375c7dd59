/**
 * The catalog of machine-readable error codes: every error body of the API is
 * `{error: <message for humans>, code: <one of these>, details?: …}`. Codes are stable (a client
 * may branch on them; messages may change); a new failure gets a new code here. The status is
 * the HTTP status the code is always sent with. docs/errors.md is generated from this table
 * (`npm run docs:errors -w exporter`) and a test keeps them equal.
 */
export const ERROR_CODES = {
  MW_ERR_INVALID_INPUT: { status: 400, meaning: 'a path, query or body field is invalid; `details` lists each `{path, message}`' },
  MW_ERR_BODY_REQUIRED: { status: 400, meaning: 'the operation takes a JSON body and the request had none' },
  MW_ERR_BODY_NOT_JSON: { status: 400, meaning: 'the request body is not valid JSON' },
  MW_ERR_PATH_ENCODING: { status: 400, meaning: 'the path is not valid percent-encoding' },
  MW_ERR_BAD_REQUEST: { status: 400, meaning: 'another malformed request (reported by the HTTP stack)' },
  MW_ERR_UNAUTHENTICATED: { status: 401, meaning: 'no bearer token, or an unknown or revoked one' },
  MW_ERR_FORBIDDEN: { status: 403, meaning: "the token's role is below the operation's (`x-required-role`)" },
  MW_ERR_NOT_FOUND: { status: 404, meaning: 'the model, version, token or webhook named in the path does not exist' },
  MW_ERR_NO_ROUTE: { status: 404, meaning: 'no endpoint at this path and method (`GET /` lists them)' },
  MW_ERR_CONFLICT: { status: 409, meaning: 'the request conflicts with the current state' },
  MW_ERR_ALREADY_EXISTS: { status: 409, meaning: 'a model, version or token with this name or id exists already' },
  MW_ERR_TRANSITION_NOT_ALLOWED: {
    status: 409,
    meaning: 'the stage machine does not allow this move (the message names the allowed ones)',
  },
  MW_ERR_HAS_PRODUCTION: {
    status: 409,
    meaning: 'the model has a version in production, so it cannot be archived or deleted (`details.production_version`)',
  },
  MW_ERR_MODEL_ARCHIVED: { status: 409, meaning: 'the model is archived (retired): no new versions or moves; delete it to reuse the name' },
  MW_ERR_NOTHING_TO_ROLL_BACK: { status: 409, meaning: 'no production version, or it has no predecessor to return to' },
  MW_ERR_STALE_ROLLBACK: {
    status: 409,
    meaning: '`from_version` is no longer in production: someone already acted (`details.current_production`)',
  },
  MW_ERR_PRODUCTION_WOULD_BE_EMPTY: {
    status: 409,
    meaning: 'the move takes the production version out with no replacement; confirm with `allow_empty_production: true`',
  },
  MW_ERR_CONCURRENT_CHANGE: { status: 409, meaning: 'a concurrent change won; retry' },
  MW_ERR_BODY_TOO_LARGE: { status: 413, meaning: 'the body is larger than MODELWATCH_MAX_BODY_BYTES' },
  MW_ERR_UNSUPPORTED_MEDIA_TYPE: { status: 415, meaning: 'a request with a body must be `Content-Type: application/json`' },
  MW_ERR_UNPROCESSABLE: { status: 422, meaning: 'understood, but refused by a rule or a limit (the message says which)' },
  MW_ERR_GATE_FAILED: {
    status: 422,
    meaning: 'a promotion failed its quality gates; `details` lists each `{gate, metric, required, actual}`',
  },
  MW_ERR_BATCH_NOT_APPLIED: {
    status: 500,
    meaning:
      'applying the batch failed inside the exporter (logged, counted in modelwatch_ingest_failures_total); nothing of it was applied, so sending it again is safe',
  },
  MW_ERR_JOURNAL_FULL: {
    status: 503,
    meaning:
      'the ingest journal holds MODELWATCH_JOURNAL_MAX_MB of batches no checkpoint covers yet (checkpoints are failing); nothing was applied, retry after `Retry-After` seconds',
  },
  MW_ERR_JOURNAL_UNAVAILABLE: {
    status: 503,
    meaning:
      "the batch could not be written to the store (the ingest journal; with it off, a reference upload's writes); nothing was applied, retry after `Retry-After` seconds",
  },
  MW_ERR_INTERNAL: { status: 500, meaning: 'a fault of the exporter (logged); never caused by the request' },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Every error response body of the API. */
export interface ErrorBody {
  error: string;
  code: ErrorCode;
  details?: unknown;
}

/** The body for `code`, with `message` for humans. */
export function errorBody(code: ErrorCode, message: string, details?: unknown): ErrorBody {
  return { error: message, code, ...(details !== undefined ? { details } : {}) };
}
