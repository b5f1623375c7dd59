import type { Command } from 'commander';
import { handler } from './runtime.js';
import { cell, listOf, table } from './format.js';
import { ApiError } from '../client-errors.js';

interface AuditFlags {
  model?: string;
  verify?: boolean;
  limit?: string;
}

export function registerAuditCommand(program: Command): void {
  program
    .command('audit')
    .description('show the audit log, or check its hash chain with --verify (exit 1 if broken)')
    .option('--model <model>', 'only entries about this model')
    .option('--limit <n>', 'at most this many entries')
    .option('--verify', 'verify the hash chain instead of listing entries')
    .action(
      handler(async (io, flags: AuditFlags) => {
        if (flags.verify) {
          const result = (await io.client.verifyAudit()) as Record<string, unknown>;
          io.emit(result, (r) => (r.valid === false || r.ok === false ? `audit log BROKEN: ${cell(r.error ?? r.reason ?? r.first_bad_seq)}` : `audit log intact (${cell(r.entries ?? r.count)} entries)`));
          // A broken chain is the verification refusing: the CI step must fail.
          if (result.valid === false || result.ok === false) throw new ApiError(409, 'audit hash chain does not verify', result);
          return;
        }
        io.emit(await io.client.audit({ model: flags.model, limit: flags.limit }), (value) =>
          table(
            ['AT', 'ACTOR', 'ACTION', 'MODEL', 'VERSION', 'DETAIL'],
            listOf(value, 'entries').map((e) => [e.at as string, e.actor as string, e.action as string, e.model as string, e.version as string, cell(e.reason ?? e.detail)]),
          ),
        );
      }),
    );
}
