import type { AuditDraft } from './types.js';

export type AuditSubject = Partial<Pick<AuditDraft, 'model' | 'version' | 'reason' | 'before' | 'after'>>;

/**
 * An audit entry for one change. What it is about (model, version), why (reason) and the
 * state around it (before, after) default to null: token and webhook changes name no model.
 */
export function auditDraft(at: string, actor: string, action: string, subject: AuditSubject = {}): AuditDraft {
  return {
    at,
    actor,
    action,
    model: subject.model ?? null,
    version: subject.version ?? null,
    reason: subject.reason ?? null,
    before: subject.before ?? null,
    after: subject.after ?? null,
  };
}
