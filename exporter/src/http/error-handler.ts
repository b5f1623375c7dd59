import type { ErrorRequestHandler } from 'express';
import {
  ConflictError,
  DomainError,
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  UnauthenticatedError,
  UnprocessableError,
} from '../errors.js';
import type { Logger } from '../logger.js';

/** The one place where domain errors become HTTP status codes. */
export function statusFor(err: DomainError): number {
  if (err instanceof InvalidInputError) return 400;
  if (err instanceof UnauthenticatedError) return 401;
  if (err instanceof ForbiddenError) return 403;
  if (err instanceof NotFoundError) return 404;
  if (err instanceof ConflictError) return 409;
  if (err instanceof UnprocessableError) return 422;
  return 400;
}

interface BodyParserError {
  type?: string;
  status?: number;
  expose?: boolean;
}

/** Never a stack trace, never a 500 for what the client sent. */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err: unknown, _req, res, _next) => {
    if (err instanceof DomainError) {
      const status = statusFor(err);
      if (status === 401) res.setHeader('WWW-Authenticate', 'Bearer');
      res.status(status).json({ error: err.message, ...(err.details !== undefined ? { details: err.details } : {}) });
      return;
    }
    const bp = err as BodyParserError;
    if (bp && typeof bp === 'object' && bp.type === 'entity.too.large') {
      res.status(413).json({ error: 'request body too large' });
      return;
    }
    if (bp && typeof bp === 'object' && bp.type === 'entity.parse.failed') {
      res.status(400).json({ error: 'request body is not valid JSON' });
      return;
    }
    if (err instanceof URIError && bp.status === 400) {
      // The router could not percent-decode a path parameter (`/models/%E0%A4%A`).
      res.status(400).json({ error: 'the path is not valid percent-encoding' });
      return;
    }
    if (bp && typeof bp === 'object' && typeof bp.status === 'number' && bp.status >= 400 && bp.status < 500) {
      // A client error raised by express or body-parser: its message is meant for the client
      // only when it says so (expose).
      res.status(bp.status).json({ error: bp.expose ? (err as Error).message : 'bad request' });
      return;
    }
    log.error({ err }, 'unhandled error');
    res.status(500).json({ error: 'internal error' });
  };
}
