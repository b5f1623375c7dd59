import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import { errorBody } from '../error-codes.js';

/** Requests with a body must say it is JSON: 415 otherwise, before any parsing. */
export const requireJsonContentType: RequestHandler = (req, res, next) => {
  const hasBody = req.method === 'POST' || req.method === 'PUT' || req.method === 'PATCH';
  if (hasBody && !req.is('application/json')) {
    res.status(415).json(errorBody('MW_ERR_UNSUPPORTED_MEDIA_TYPE', 'Content-Type must be application/json'));
    return;
  }
  next();
};

/** A request whose body express.json read: how many bytes it had. */
export interface RawBodyRequest extends IncomingMessage {
  bodyBytes?: number;
  /** The JSON body as received: the ingest journal stores these bytes (src/durable/journal.ts). */
  bodyBuffer?: Buffer;
}

/** The body bytes express.json read, or the parsed body re-serialized when there were none. */
export function bodyBytesOf(req: IncomingMessage & { body?: unknown }): Buffer {
  return (req as RawBodyRequest).bodyBuffer ?? Buffer.from(JSON.stringify(req.body ?? null));
}

/**
 * Every POST/PUT/PATCH of the API takes a JSON body: a missing or empty one is a 400, not an
 * empty object (body-parser turns `Content-Length: 0` into `{}`, which once reset every gate
 * override of a model with a 200).
 */
export const requireBody: RequestHandler = (req, res, next) => {
  const hasBody = req.method === 'POST' || req.method === 'PUT' || req.method === 'PATCH';
  if (hasBody && !((req as RawBodyRequest).bodyBytes ?? 0)) {
    res
      .status(400)
      .json(
        errorBody('MW_ERR_BODY_REQUIRED', 'a JSON request body is required', [{ path: '(body)', message: 'the body is missing or empty' }]),
      );
    return;
  }
  next();
};
