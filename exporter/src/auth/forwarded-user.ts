import { textProblem } from '../text-rule.js';

/**
 * The header Grafana's data and plugin proxy set to the signed-in user's login when
 * `[dataproxy] send_user_header = true` (grafana/grafana pkg/util/proxyutil/proxyutil.go,
 * `ApplyUserHeader`: the incoming header is always deleted first, then set for users and
 * service accounts, never for anonymous viewers). Node lower-cases header names.
 */
export const GRAFANA_USER_HEADER = 'x-grafana-user';

/** Longest login accepted; Grafana's own login column is 190 characters. */
const MAX_LOGIN_LENGTH = 190;

/**
 * The Grafana login carried by a request, or undefined when the header is absent or empty.
 * Header bytes reach Node as latin1; Grafana sends UTF-8, so the bytes are decoded as UTF-8.
 *
 * @throws Error with a message naming the header when the login is malformed (control
 *   characters, invalid UTF-8, longer than 190 characters): attributing such an action to
 *   the token instead would hide who acted.
 */
export function forwardedLogin(raw: string | string[] | undefined): string | undefined {
  if (raw === undefined) return undefined;
  if (Array.isArray(raw)) throw new Error('X-Grafana-User: sent more than once');
  const login = Buffer.from(raw, 'latin1').toString('utf8').trim();
  if (login === '') return undefined;
  if (login.includes('\ufffd')) throw new Error('X-Grafana-User: not valid UTF-8');
  const problem = textProblem(login);
  if (problem) throw new Error(`X-Grafana-User: ${problem}`);
  if (login.length > MAX_LOGIN_LENGTH) throw new Error(`X-Grafana-User: longer than ${MAX_LOGIN_LENGTH} characters`);
  return login;
}

/** The audit actor of an action a Grafana user took through the designated token: `grafana:<login> via token:<name> (<id>)`. */
export function grafanaActor(login: string, tokenActor: string, tokenId: string): string {
  return `grafana:${login} via ${tokenActor} (${tokenId})`;
}
