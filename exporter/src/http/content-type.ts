import type { RequestHandler } from 'express';

/** Requests with a body must say it is JSON: 415 otherwise, before any parsing. */
export const requireJsonContentType: RequestHandler = (req, res, next) => {
  const hasBody = req.method === 'POST' || req.method === 'PUT' || req.method === 'PATCH';
  if (hasBody && !req.is('application/json')) {
    res.status(415).json({ error: 'Content-Type must be application/json' });
    return;
  }
  next();
};
