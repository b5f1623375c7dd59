import type { Command } from 'commander';
import { handler } from './runtime.js';

interface Retirement {
  model: string;
  versions: { version: string; stage: string }[];
}

const listed = (r: Retirement) => (r.versions.length ? r.versions.map((v) => `${v.version} (was ${v.stage})`).join(', ') : 'none');

/** `archive <model>` (operator) and `delete <model>` (admin): retire a model with nothing in production. */
export function registerRetireCommands(program: Command): void {
  program
    .command('archive <model>')
    .description('retire a model with nothing in production: archive its versions and hide it from `models`')
    .requiredOption('--reason <text>', 'why, for the audit log')
    .action(
      handler(async (io, model: string, flags: { reason: string }) => {
        const result = await io.client.archiveModel(model, { reason: flags.reason });
        io.emit(result, (r: Retirement) => `${r.model}: archived; versions archived: ${listed(r)}`);
      }),
    );
  program
    .command('delete <model>')
    .description('delete a model with nothing in production, with its versions and history (admin; the audit log keeps them)')
    .requiredOption('--reason <text>', 'why, for the audit log')
    .action(
      handler(async (io, model: string, flags: { reason: string }) => {
        const result = await io.client.deleteModel(model, flags.reason);
        io.emit(result, (r: Retirement) => `${r.model}: deleted with its versions: ${listed(r)}`);
      }),
    );
}
