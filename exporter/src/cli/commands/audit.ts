import type { Command } from 'commander';
import { handler } from './runtime.js';
import { cell, listTable } from './format.js';
import { EXIT, UsageError } from '../client-errors.js';

/** The human report of GET /audit/verify: every chain break and every row the log does not explain. */
export function verificationText(r: Record<string, unknown>): string {
  if (r.ok) return `audit log intact: ${cell(r.entries)} entries verified\n`;
  const lines = [`audit log BROKEN: ${cell(r.error ?? r.problem)}`];
  for (const b of (r.broken ?? []) as { id: number; problem: string }[]) lines.push(`  entry ${b.id}: ${b.problem}`);
  for (const u of (r.unexplained ?? []) as { table: string; key: string; problem: string }[])
    lines.push(`  ${u.table} ${u.key}: ${u.problem}`);
  const listed = ((r.unexplained ?? []) as unknown[]).length;
  if (typeof r.unexplained_count === 'number' && r.unexplained_count > listed) lines.push(`  … and ${r.unexplained_count - listed} more`);
  return `${lines.join('\n')}\n`;
}

interface AuditFlags {
  model?: string;
  verify?: boolean;
  limit?: string;
  before?: string;
}

export function registerAuditCommand(program: Command): void {
  program
    .command('audit')
    .description(
      'show the audit log (newest first), or verify it (`audit verify` or --verify: the hash chain, and the state tables replayed against it; exit 1 if broken)',
    )
    .argument('[check]', '"verify" to verify instead of listing (same as --verify)')
    .option('--model <model>', 'only entries about this model')
    .option('--limit <n>', 'at most this many entries (default 100)')
    .option('--before <id>', 'entries older than this id (the next page)')
    .option('--verify', 'verify the hash chain instead of listing entries')
    .action(
      handler(async (io, check: string | undefined, flags: AuditFlags) => {
        if (check !== undefined && check !== 'verify')
          throw new UsageError(`unknown audit subcommand "${check}": the one there is is "verify"`);
        if (flags.verify || check === 'verify') {
          const result = (await io.client.verifyAudit()) as Record<string, unknown>;
          io.emit(result, (r) => verificationText(r as Record<string, unknown>));
          // A chain that does not verify is a refusal: the CI step must fail.
          if (!result.ok) process.exitCode = EXIT.refused;
          return;
        }
        const entries = listTable('entries', ['ID', 'AT', 'ACTOR', 'ACTION', 'MODEL', 'VERSION', 'REASON'], (e) => [
          e.id as number,
          e.at as string,
          e.actor as string,
          e.action as string,
          e.model as string,
          e.version as string,
          e.reason as string,
        ]);
        io.emit(await io.client.audit({ model: flags.model, limit: flags.limit, before: flags.before }), (value) => {
          const out = entries(value);
          const next = (value as { next_before?: number | null }).next_before;
          return next ? `${out}(more: --before ${next})\n` : out;
        });
      }),
    );
}
