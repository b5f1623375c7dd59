import type { components, operations } from '../api/openapi-types.js';
import { ApiError, MissingTokenError, UnreachableError } from './client-errors.js';

export const DEFAULT_URL = 'http://127.0.0.1:9400';

export interface ClientOptions {
  url: string;
  token?: string;
  /** Per-request timeout; a hung exporter must not hang a CI job forever. */
  timeoutMs?: number;
}

type Query = Record<string, string | number | boolean | undefined>;
type Schemas = components['schemas'];
type AuditQuery = NonNullable<operations['listAudit']['parameters']['query']>;
type ModelsQuery = NonNullable<operations['listModels']['parameters']['query']>;

/**
 * The registry HTTP API as the CLI uses it. One method per endpoint, so that the paths live
 * in one file, typed by the types openapi-typescript generates from the OpenAPI document
 * (src/api/openapi-types.ts). Responses are returned as the exporter sent them (the CLI prints them with
 * --json); the token only ever goes into the Authorization header.
 */
export class RegistryClient {
  private readonly base: URL;
  readonly #token?: string;
  private readonly timeoutMs: number;

  constructor(options: ClientOptions) {
    this.base = new URL(options.url.endsWith('/') ? options.url : `${options.url}/`);
    this.#token = options.token;
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  /** Query values as typed on the command line (the exporter parses and validates them). */
  listModels(query: Partial<Record<keyof ModelsQuery, string>> = {}): Promise<Schemas['ListModelsResponse']> {
    return this.request('GET', 'api/v1/models', undefined, query);
  }

  getModel(model: string): Promise<Schemas['Model']> {
    return this.request('GET', `api/v1/models/${seg(model)}`);
  }

  createModel(body: Schemas['CreateModelRequest']): Promise<Schemas['Model']> {
    return this.request('POST', 'api/v1/models', body);
  }

  setPositiveClass(model: string, body: Schemas['PutPositiveClassRequest']): Promise<Schemas['Model']> {
    return this.request('PUT', `api/v1/models/${seg(model)}/positive-class`, body);
  }

  listVersions(model: string): Promise<Schemas['ListVersionsResponse']> {
    return this.request('GET', `api/v1/models/${seg(model)}/versions`);
  }

  /** `body` is what the user assembled from flags and files; the exporter validates it (400 names the field). */
  registerVersion(model: string, body: Schemas['RegisterVersionRequest']): Promise<Schemas['Version']> {
    return this.request('POST', `api/v1/models/${seg(model)}/versions`, body);
  }

  transition(model: string, version: string, body: Schemas['TransitionVersionRequest']): Promise<Schemas['TransitionVersionResponse']> {
    return this.request('POST', `api/v1/models/${seg(model)}/versions/${seg(version)}/transitions`, body);
  }

  rollback(model: string, body: Schemas['RollbackModelRequest']): Promise<Schemas['RollbackModelResponse']> {
    return this.request('POST', `api/v1/models/${seg(model)}/rollback`, body);
  }

  archiveModel(model: string, body: Schemas['ArchiveModelRequest']): Promise<Schemas['ModelRetirement']> {
    return this.request('POST', `api/v1/models/${seg(model)}/archive`, body);
  }

  deleteModel(model: string, reason: string): Promise<Schemas['ModelRetirement']> {
    return this.request('DELETE', `api/v1/models/${seg(model)}`, undefined, { reason });
  }

  listTransitions(model: string): Promise<Schemas['ListTransitionsResponse']> {
    return this.request('GET', `api/v1/models/${seg(model)}/transitions`);
  }

  /** Query values as typed on the command line (the exporter parses and validates them). */
  audit(query: Partial<Record<keyof AuditQuery, string | number>> = {}): Promise<Schemas['ListAuditResponse']> {
    return this.request('GET', 'api/v1/audit', undefined, query);
  }

  verifyAudit(): Promise<Schemas['VerifyAuditResponse']> {
    return this.request('GET', 'api/v1/audit/verify');
  }

  status(model: string, version?: string): Promise<Schemas['VersionStatus']> {
    return this.request('GET', `api/v1/models/${seg(model)}/status`, undefined, { version });
  }

  listTokens(): Promise<Schemas['ListTokensResponse']> {
    return this.request('GET', 'api/v1/tokens');
  }

  createToken(body: Schemas['CreateTokenRequest']): Promise<Schemas['CreateTokenResponse']> {
    return this.request('POST', 'api/v1/tokens', body);
  }

  revokeToken(id: string): Promise<Schemas['RevokeTokenResponse']> {
    return this.request('DELETE', `api/v1/tokens/${seg(id)}`);
  }

  /** The exporter's JSON answer, typed by the caller from the generated OpenAPI types. */
  private async request<T>(method: string, path: string, body?: unknown, query: Query = {}): Promise<T> {
    if (!this.#token) throw new MissingTokenError('no token: pass --token or set MODELWATCH_TOKEN');
    const url = new URL(path, this.base);
    for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, String(v));
    const headers: Record<string, string> = { Authorization: `Bearer ${this.#token}`, Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      const c = (err as { cause?: { code?: string; message?: string } }).cause;
      const cause = c?.code ?? c?.message ?? (err as Error).name;
      throw new UnreachableError(`cannot reach the exporter at ${this.base.origin} (${cause})`);
    }
    const text = await res.text();
    let parsed: unknown = undefined;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
    }
    if (!res.ok) {
      const obj = (parsed ?? {}) as Partial<Schemas['Error']>;
      const message = typeof obj.error === 'string' ? obj.error : `HTTP ${res.status}`;
      throw new ApiError(res.status, message, obj.details, obj.code);
    }
    return (parsed ?? {}) as T;
  }
}

/** Model and version names go into the path as one segment, whatever they contain. */
function seg(value: string): string {
  return encodeURIComponent(value);
}
