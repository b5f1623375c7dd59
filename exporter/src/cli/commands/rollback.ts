import type { Command } from 'commander';
import { handler } from './runtime.js';

interface RollbackFlags {
  reason: string;
  fromVersion?: string;
}

export function registerRollbackCommand(program: Command): void {
  program
    .command('rollback <model>')
    .description('return the previous production version to production and archive the current one')
    .requiredOption('--reason <text>', 'why, for the audit log')
    .option('--from-version <version>', 'only act while this version is still in production (safe to repeat)')
    .action(
      handler(async (io, model: string, flags: RollbackFlags) => {
        const result = (await io.client.rollback(model, {
          reason: flags.reason,
          ...(flags.fromVersion ? { from_version: flags.fromVersion } : {}),
        })) as Record<string, unknown>;
        io.emit(
          result,
          () => `${model}: rolled back from ${result.from_version} (now archived) to ${result.to_version} (now in production)`,
        );
      }),
    );
}
