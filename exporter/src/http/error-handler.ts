import type { ErrorRequestHandler } from 'express';
import {
  ConflictError,
  DomainError,
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  UnauthenticatedError,
  UnavailableError,
  UnprocessableError,
} from '../errors.js';
import { ERROR_CODES, errorBody, type ErrorCode } from '../error-codes.js';
import type { Logger } from '../logger.js';

/** The one place where domain errors become catalog codes (and so HTTP status codes). */
export function codeFor(err: DomainError): ErrorCode {
  if (err.code) return err.code;
  if (err instanceof InvalidInputError) return 'MW_ERR_INVALID_INPUT';
  if (err instanceof UnauthenticatedError) return 'MW_ERR_UNAUTHENTICATED';
  if (err instanceof ForbiddenError) return 'MW_ERR_FORBIDDEN';
  if (err instanceof NotFoundError) return 'MW_ERR_NOT_FOUND';
  if (err instanceof ConflictError) return 'MW_ERR_CONFLICT';
  if (err instanceof UnprocessableError) return 'MW_ERR_UNPROCESSABLE';
  if (err instanceof UnavailableError) return 'MW_ERR_JOURNAL_UNAVAILABLE';
  return 'MW_ERR_INVALID_INPUT';
}

export function statusFor(err: DomainError): number {
  return ERROR_CODES[codeFor(err)].status;
}

interface BodyParserError {
  type?: string;
  status?: number;
  expose?: boolean;
}

/** Never a stack trace, never a 500 for what the client sent. */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    if (err instanceof DomainError) {
      const status = statusFor(err);
      // One line per refused request, with the fault behind it (never sent to the client).
      if (status >= 500) log.error({ err: err.cause ?? err, code: codeFor(err), method: req.method, path: req.path }, err.message);
      if (status === 401) res.setHeader('WWW-Authenticate', 'Bearer');
      if (err instanceof UnavailableError) res.setHeader('Retry-After', String(Math.max(1, Math.ceil(err.retryAfterSeconds))));
      res.status(status).json(errorBody(codeFor(err), err.message, err.details));
      return;
    }
    const bp = err as BodyParserError;
    if (bp && typeof bp === 'object' && bp.type === 'entity.too.large') {
      res.status(413).json(errorBody('MW_ERR_BODY_TOO_LARGE', 'request body too large'));
      return;
    }
    if (bp && typeof bp === 'object' && bp.type === 'entity.parse.failed') {
      res.status(400).json(errorBody('MW_ERR_BODY_NOT_JSON', 'request body is not valid JSON'));
      return;
    }
    if (err instanceof URIError && bp.status === 400) {
      // The router could not percent-decode a path parameter (`/models/%E0%A4%A`).
      res.status(400).json(errorBody('MW_ERR_PATH_ENCODING', 'the path is not valid percent-encoding'));
      return;
    }
    if (bp && typeof bp === 'object' && typeof bp.status === 'number' && bp.status >= 400 && bp.status < 500) {
      // A client error raised by express or body-parser: its message is meant for the client
      // only when it says so (expose).
      const code: ErrorCode =
        bp.status === 413 ? 'MW_ERR_BODY_TOO_LARGE' : bp.status === 415 ? 'MW_ERR_UNSUPPORTED_MEDIA_TYPE' : 'MW_ERR_BAD_REQUEST';
      res.status(ERROR_CODES[code].status).json(errorBody(code, bp.expose ? (err as Error).message : 'bad request'));
      return;
    }
    log.error({ err, method: req.method, path: req.path }, 'unhandled error');
    res.status(500).json(errorBody('MW_ERR_INTERNAL', 'internal error'));
  };
}
