import type { Request, RequestHandler } from 'express';
import type { Authenticator, Principal } from '../auth/authenticator.js';
import { roleAtLeast, type Role } from '../auth/roles.js';
import { ForbiddenError, UnauthenticatedError } from '../errors.js';

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

/** Requires a bearer token whose role is at least `role`. 401 without or with a bad one, 403 if too low. */
export function requireRole(auth: Authenticator, role: Role): RequestHandler {
  return (req, _res, next) => {
    const header = req.headers.authorization;
    const m = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!m) {
      next(new UnauthenticatedError('missing bearer token'));
      return;
    }
    auth.authenticate(m[1]).then(
      (principal) => {
        if (!principal) return next(new UnauthenticatedError('invalid or revoked token'));
        if (!roleAtLeast(principal.role, role))
          return next(new ForbiddenError(`this action needs role ${role}; the token has ${principal.role}`));
        req.principal = principal;
        next();
      },
      (err: unknown) => next(err),
    );
  };
}

export function principalOf(req: Request): Principal {
  if (!req.principal) throw new UnauthenticatedError('missing bearer token');
  return req.principal;
}
