import type { Command } from 'commander';
import { handler } from './runtime.js';

interface PromoteFlags {
  to: string;
  reason: string;
  force?: boolean;
}

export function registerPromoteCommand(program: Command): void {
  program
    .command('promote <model> <version>')
    .description('move a version to another stage; refused (exit 1) when a quality gate fails')
    .requiredOption('--to <stage>', 'target stage: staging, production or archived (development to go back)')
    .requiredOption('--reason <text>', 'why, for the audit log')
    .option('--force', 'skip the quality gates (admin token; recorded in the audit log)')
    .action(
      handler(async (io, model: string, version: string, flags: PromoteFlags) => {
        const result = (await io.client.transition(model, version, { to: flags.to, reason: flags.reason, ...(flags.force ? { force: true } : {}) })) as Record<string, unknown>;
        io.emit(result, () => {
          const from = (result.from ?? result.from_stage) as string | undefined;
          return `${model} ${version}: ${from ? `${from} → ` : ''}${flags.to}${flags.force ? ' (forced)' : ''}`;
        });
      }),
    );
}
