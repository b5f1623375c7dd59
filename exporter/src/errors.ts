import type { ErrorCode } from './error-codes.js';

/** One bad field of a request, as a 400 names it (ingest and reference checks build these below HTTP). */
export interface FieldProblem {
  /** Where, as a JS-like path: `events[3].features.age`. */
  path: string;
  message: string;
}

/**
 * The few typed errors the domain and the store raise. The HTTP layer maps them to status
 * codes in one place (http/error-handler.ts); nothing below HTTP knows about status codes.
 */
export class DomainError extends Error {
  constructor(
    message: string,
    readonly details?: unknown,
    /** A more precise code of the catalog (error-codes.ts) than the class's default. */
    readonly code?: ErrorCode,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Input that is well-formed JSON but wrong: 400. */
export class InvalidInputError extends DomainError {}
/** No credentials or bad credentials: 401. */
export class UnauthenticatedError extends DomainError {}
/** Credentials valid, role too low: 403. */
export class ForbiddenError extends DomainError {}
/** 404. */
export class NotFoundError extends DomainError {}
/** State conflict (already exists, nothing to roll back to, lost a race): 409. */
export class ConflictError extends DomainError {}
/** Understood but refused by a rule (quality gates): 422. `details` lists every failure. */
export class UnprocessableError extends DomainError {}

/**
 * A batch whose apply threw inside the exporter and was rolled back whole (issue 11 §1): 500
 * MW_ERR_BATCH_NOT_APPLIED. Not the client's fault; `cause` is the fault, for the log only.
 */
export class BatchNotAppliedError extends DomainError {
  constructor(
    readonly endpoint: string,
    cause: unknown,
  ) {
    super(
      `the ${endpoint} batch could not be applied (a fault of the exporter, logged); nothing of it was applied, so sending it again is safe`,
      undefined,
      'MW_ERR_BATCH_NOT_APPLIED',
    );
    this.cause = cause;
  }
}

/**
 * The exporter cannot make the request durable right now (the ingest journal is full or its
 * store fails): 503 with Retry-After. Nothing was applied; the client retries.
 */
export class UnavailableError extends DomainError {
  constructor(
    message: string,
    /** Seconds the client should wait before retrying (the Retry-After header). */
    readonly retryAfterSeconds: number,
    code?: ErrorCode,
  ) {
    super(message, undefined, code);
  }
}
