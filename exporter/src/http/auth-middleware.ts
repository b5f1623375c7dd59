import type { Request, RequestHandler } from 'express';
import type { Authenticator, Principal } from '../auth/authenticator.js';
import { roleAtLeast, type Role } from '../auth/roles.js';
import { InvalidInputError, ForbiddenError, UnauthenticatedError } from '../errors.js';
import { forwardedLogin, GRAFANA_USER_HEADER } from '../auth/forwarded-user.js';
import { errorBody } from '../error-codes.js';

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

function bearerOf(req: Request): string | undefined {
  const header = req.headers.authorization;
  const m = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return m?.[1];
}

/** Resolves the request's bearer token, with the Grafana user it forwards (trusted only from Grafana's token). */
function authenticateRequest(auth: Authenticator, req: Request, bearer: string): Promise<Principal | undefined> {
  let login: string | undefined;
  try {
    login = forwardedLogin(req.headers[GRAFANA_USER_HEADER]);
  } catch (err) {
    return Promise.reject(new InvalidInputError((err as Error).message));
  }
  return auth.authenticate(bearer, login);
}

/** Requires a bearer token whose role is at least `role`. 401 without or with a bad one, 403 if too low. */
export function requireRole(auth: Authenticator, role: Role): RequestHandler {
  return (req, _res, next) => {
    const check = (principal: Principal | undefined) => {
      if (!principal) return next(new UnauthenticatedError('invalid or revoked token'));
      if (!roleAtLeast(principal.role, role))
        return next(new ForbiddenError(`this action needs role ${role}; the token has ${principal.role}`));
      req.principal = principal;
      next();
    };
    // Already resolved before the body was read (authenticateBeforeBody).
    if (req.principal) return check(req.principal);
    const bearer = bearerOf(req);
    if (!bearer) {
      next(new UnauthenticatedError('missing bearer token'));
      return;
    }
    authenticateRequest(auth, req, bearer).then(check, (err: unknown) => next(err));
  };
}

/**
 * Resolves the bearer token of a request that carries a body BEFORE the body is read: an
 * unauthenticated caller gets 401 at once, its body unread, and the connection is closed so
 * that the unread bytes are not drained either (DESIGN.md "Integrity"; issue 13: sixteen
 * unauthenticated 31 MB POSTs used to be parsed in full, 1.3 GB of memory). The role is still
 * checked per route by requireRole, after parsing.
 */
export function authenticateBeforeBody(auth: Authenticator): RequestHandler {
  return (req, res, next) => {
    const carriesBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
    if (!carriesBody) return next();
    const refuse = (message: string) => {
      res.setHeader('Connection', 'close');
      res.setHeader('WWW-Authenticate', 'Bearer');
      res.status(401).json(errorBody('MW_ERR_UNAUTHENTICATED', message));
    };
    const bearer = bearerOf(req);
    if (!bearer) return refuse('missing bearer token');
    authenticateRequest(auth, req, bearer).then(
      (principal) => {
        if (!principal) return refuse('invalid or revoked token');
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
