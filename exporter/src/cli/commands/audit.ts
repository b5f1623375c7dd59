import type { Command } from 'commander';
import { handler } from './runtime.js';
import { cell, listTable } from './format.js';
import { EXIT } from '../client-errors.js';

interface AuditFlags {
  model?: string;
  verify?: boolean;
  limit?: string;
  before?: string;
}

export function registerAuditCommand(program: Command): void {
  program
    .command('audit')
    .description('show the audit log (newest first), or check its hash chain with --verify (exit 1 if broken)')
    .option('--model <model>', 'only entries about this model')
    .option('--limit <n>', 'at most this many entries (default 100)')
    .option('--before <id>', 'entries older than this id (the next page)')
    .option('--verify', 'verify the hash chain instead of listing entries')
    .action(
      handler(async (io, flags: AuditFlags) => {
        if (flags.verify) {
          const result = (await io.client.verifyAudit()) as Record<string, unknown>;
          io.emit(result, (r) =>
            r.ok ? `audit log intact: ${cell(r.entries)} entries verified` : `audit log BROKEN: ${cell(r.error ?? r.problem)}`,
          );
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
