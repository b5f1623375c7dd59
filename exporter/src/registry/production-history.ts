import type { TransitionRecord } from './types.js';

/**
 * The rollback target, derived from a model's transition history rather than from a column
 * set at promotion time (which a demote/re-promote or archive/restore cycle used to lose).
 *
 * Production history is a stack of versions: a promotion (or rollback) into production puts
 * the version on top (an earlier place of the same version is dropped); a version replaced by a
 * promotion stays where it is, below the new one; a rollback out of production, or moving the
 * production version out without a replacement, removes it. The target is the topmost version
 * other than the current one. So v1, v2, v3 promoted in turn roll back to v2, then v1; and v2
 * demoted then promoted again rolls back to v1.
 *
 * `moves` are the model's transitions into or out of production, oldest first.
 */
export function rollbackTarget(moves: readonly TransitionRecord[], current: string): string | undefined {
  const stack: string[] = [];
  const remove = (v: string) => {
    const i = stack.lastIndexOf(v);
    if (i >= 0) stack.splice(i, 1);
  };
  for (const t of moves) {
    if (t.to === 'production') {
      remove(t.version);
      stack.push(t.version);
    } else if (t.from === 'production' && t.kind !== 'replaced') {
      remove(t.version);
    }
  }
  for (let i = stack.length - 1; i >= 0; i -= 1) if (stack[i] !== current) return stack[i];
  return undefined;
}
