import type { PublishedHead } from './audit-chain.js';

/**
 * The audit chain heads this process has published (on /metrics, in checkpoint log lines),
 * kept outside the database: if the database later shows a shorter chain, or another hash at
 * a published id, the log was truncated or rewritten. It lives as long as the process;
 * Prometheus keeps the published series across restarts (alert ModelwatchAuditHeadRegressed).
 */
export class AuditHeadWatch {
  private readonly heads: PublishedHead[] = [];

  constructor(private readonly keep = 32) {}

  /** Records a head as published. Returns the problem when it contradicts an earlier one. */
  observe(head: PublishedHead): 'went backwards' | 'rewritten' | undefined {
    const highest = this.heads[this.heads.length - 1];
    if (highest && head.id < highest.id) return 'went backwards';
    if (highest && head.id === highest.id) return head.hash === highest.hash ? undefined : 'rewritten';
    this.heads.push(head);
    if (this.heads.length > this.keep) this.heads.shift();
    return undefined;
  }

  /** What verification must find again in the chain. */
  published(): readonly PublishedHead[] {
    return this.heads;
  }
}
