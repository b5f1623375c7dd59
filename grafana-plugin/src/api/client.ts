import { getBackendSrv, type BackendSrvRequest } from '@grafana/runtime';
import { lastValueFrom } from 'rxjs';
import { EXPORTER_PROXY_BASE } from '../constants';
import { toApiError } from './errors';
import {
  toAuditEntry,
  toModel,
  toRetirement,
  toRollbackResult,
  toTransition,
  toVerification,
  toVersion,
  type ApiListAudit,
  type ApiListModels,
  type ApiListTransitions,
  type ApiListVersions,
  type ApiModel,
  type ApiRetirement,
  type ApiRollback,
  type ApiVerification,
} from './normalize';
import type {
  AuditEntry,
  AuditVerification,
  ModelRetirement,
  ModelSummary,
  ModelVersion,
  RollbackResult,
  Stage,
  Transition,
} from './types';

/** A model or version name as one URL path segment, whatever characters it holds. */
function seg(value: string): string {
  return encodeURIComponent(value);
}

/**
 * Every exporter call goes through Grafana's app-plugin proxy route, which adds the bearer
 * token server-side. Errors become ApiError (with gate failures for a 422); Grafana's own
 * error toasts are turned off because each page shows the error where it happened.
 */
async function request<T>(
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  data?: unknown,
  params?: Record<string, string | number>,
): Promise<T> {
  const options: BackendSrvRequest = {
    url: `${EXPORTER_PROXY_BASE}/api/v1/${path}`,
    method,
    data,
    params,
    showErrorAlert: false,
    showSuccessAlert: false,
  };
  if (data !== undefined) options.headers = { 'Content-Type': 'application/json' };
  try {
    const response = await lastValueFrom(getBackendSrv().fetch<T>(options));
    return response.data;
  } catch (err) {
    throw toApiError(err);
  }
}

export const exporterApi = {
  /** Archived (retired) models are left out, as the exporter lists them, unless `includeArchived`. */
  async listModels(options: { includeArchived?: boolean } = {}): Promise<ModelSummary[]> {
    const params = options.includeArchived ? { include_archived: 'true' } : undefined;
    return (await request<ApiListModels>('GET', 'models', undefined, params)).models.map(toModel);
  },
  async getModel(model: string): Promise<ModelSummary> {
    return toModel(await request<ApiModel>('GET', `models/${seg(model)}`));
  },
  async listVersions(model: string): Promise<ModelVersion[]> {
    return (await request<ApiListVersions>('GET', `models/${seg(model)}/versions`)).versions.map(toVersion);
  },
  async listTransitions(model: string): Promise<Transition[]> {
    return (await request<ApiListTransitions>('GET', `models/${seg(model)}/transitions`)).transitions.map(toTransition);
  },
  async transition(model: string, version: string, to: Stage, reason: string): Promise<void> {
    await request('POST', `models/${seg(model)}/versions/${seg(version)}/transitions`, { to, reason });
  },
  async rollback(model: string, reason: string, fromVersion?: string): Promise<RollbackResult> {
    const body = fromVersion ? { reason, from_version: fromVersion } : { reason };
    return toRollbackResult(await request<ApiRollback>('POST', `models/${seg(model)}/rollback`, body));
  },
  /** Archives every version and hides the model from listings (exporter role operator); 409 while a version is in production. */
  async archiveModel(model: string, reason: string): Promise<ModelRetirement> {
    return toRetirement(await request<ApiRetirement>('POST', `models/${seg(model)}/archive`, { reason }));
  },
  /** Removes the model with its versions and history (exporter role admin; the audit log keeps them); 409 while a version is in production. */
  async deleteModel(model: string, reason: string): Promise<ModelRetirement> {
    return toRetirement(await request<ApiRetirement>('DELETE', `models/${seg(model)}`, undefined, { reason }));
  },
  async listAudit(params: { model?: string; limit?: number } = {}): Promise<AuditEntry[]> {
    const query: Record<string, string | number> = {};
    if (params.model) query.model = params.model;
    if (params.limit) query.limit = params.limit;
    return (await request<ApiListAudit>('GET', 'audit', undefined, query)).entries.map(toAuditEntry);
  },
  async verifyAudit(): Promise<AuditVerification> {
    return toVerification(await request<ApiVerification>('GET', 'audit/verify'));
  },
};

export type ExporterApi = typeof exporterApi;
